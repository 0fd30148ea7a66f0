package io.turnout.dataplane.provider;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * One upstream attempt as a provider sees it.
 *
 * @param request the client's OpenAI chat request; unknown fields must reach an OpenAI-compatible
 *     provider untouched. A codec never mutates it: a retry or a fallback reuses the same object.
 * @param providerModelId the pinned provider model id that replaces the client's alias in {@code model}
 * @param requestId our request id, sent upstream as {@code x-request-id}
 * @param stream whether the client asked for {@code stream: true}
 * @param includeUsage whether the client asked for {@code stream_options.include_usage}
 * @param budgetMillis the most this attempt may take, all timeouts included (the caller's deadline)
 * @param cancelled completes when the caller wants the attempt abandoned (client gone, deadline);
 *     the provider then resets the upstream request so no generation is left running
 */
public record ChatCall(JsonObject request, String providerModelId, String requestId, boolean stream,
    boolean includeUsage, long budgetMillis, Future<Void> cancelled) {}
