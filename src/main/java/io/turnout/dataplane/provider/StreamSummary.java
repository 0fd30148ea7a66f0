package io.turnout.dataplane.provider;

/**
 * How a stream that reached its terminal event ended.
 *
 * @param usage token usage, {@link Usage#NONE} when the provider reported none
 * @param chunks the number of chunks relayed to the client
 * @param providerModel the model the provider says answered, or null
 * @param providerRequestId the provider's request id, or null
 */
public record StreamSummary(Usage usage, int chunks, String providerModel, String providerRequestId) {}
