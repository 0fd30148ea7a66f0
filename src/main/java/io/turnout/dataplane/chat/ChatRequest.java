package io.turnout.dataplane.chat;

import io.turnout.routes.Feature;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * A client's chat request that passed {@link ChatRequestCheck}: the untouched JSON plus the few
 * facts routing needs, read once.
 *
 * @param body the request JSON; unknown fields are kept and reach OpenAI-compatible providers as sent
 * @param alias the app model alias from {@code model}
 * @param stream whether {@code stream: true}
 * @param includeUsage whether {@code stream_options.include_usage: true}
 * @param features what the request relies on ({@link io.turnout.routes.Features#of}), read in the
 *     check's own walk over the request
 */
public record ChatRequest(JsonObject body, String alias, boolean stream, boolean includeUsage,
    Set<Feature> features) {}
