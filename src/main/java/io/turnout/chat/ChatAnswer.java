package io.turnout.chat;

/**
 * A successful answer and how it was obtained.
 *
 * @param result a {@code Completion} or a {@code StreamSummary}
 * @param provider the provider that answered
 * @param attempts upstream attempts made, the answering one included
 */
public record ChatAnswer<T>(T result, String provider, int attempts) {}
