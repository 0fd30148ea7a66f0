package io.turnout.dataplane.policy;

/**
 * Why a provider may not receive a cohort's requests, or why a fallback is looser than its primary.
 * The reason names cohorts, providers, classes and regions only: never a prompt or a credential.
 *
 * @param provider the provider at fault
 * @param reason a sentence fit for a config error, a log line and the client's error message
 */
public record PolicyViolation(String provider, String reason) {}
