package io.turnout.controlplane.probes;

import io.turnout.dataplane.provider.ErrorClass;
import io.turnout.dataplane.provider.ProviderFailure;
import io.turnout.dataplane.provider.ProviderOptions;
import io.turnout.dataplane.provider.Usage;
import io.turnout.dataplane.provider.UsageSource;
import io.turnout.routes.RouteRole;
import io.turnout.routes.RouteVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a probe run of a route version consists of, and how each outcome is judged: which
 * providers (per the version's mode), which requests, which pass conditions. Pure: no I/O.
 */
public final class ProbeSuite {

  private ProbeSuite() {}

  /**
   * The providers a version sends to, by the roles its mode serves: both for primary_with_fallback
   * and canary, one for primary_only and fallback_only, none for disabled (it takes no traffic).
   */
  public static List<ProbeTarget> targets(RouteVersion version, Map<String, ProviderOptions> providers) {
    List<ProbeTarget> targets = new ArrayList<>();
    for (RouteRole role : RouteRole.values()) {
      if (!version.mode().servingRoles().contains(role)) {
        continue;
      }
      String provider = version.provider(role);
      ProviderOptions options = providers.get(provider);
      if (options == null) {
        throw new IllegalArgumentException("route version " + version.routeVersion() + " names provider " + provider
            + ", which this node does not configure");
      }
      targets.add(new ProbeTarget(role, provider, options.kind(), version.modelId(role),
          version.enabledFeatures().forRole(role), version.timeoutMs()));
    }
    return targets;
  }

  /** The probe requests for one provider, in {@link ProbeName} order. */
  public static List<ProbeSpec> specs(ProbeTarget target, ProbeOptions options) {
    ProbePrompts prompts = options.prompts();
    long budget = target.timeoutMs();
    ProbeRequests.Optional optional = ProbeRequests.optionalFields(prompts, target.features());
    List<ProbeSpec> specs = new ArrayList<>();
    for (ProbeName name : ProbeName.values()) {
      specs.add(switch (name) {
        case SHORT, PINNED_MODEL, SCHEMA_PARSE, USAGE_TELEMETRY ->
            new ProbeSpec(name, ProbeRequests.single(prompts), false, false, budget, List.of());
        case MULTI_TURN -> new ProbeSpec(name, ProbeRequests.multiTurn(prompts), false, false, budget, List.of());
        case TOKEN_CEILING -> new ProbeSpec(name, ProbeRequests.tokenCeiling(prompts, options.tokenCeiling()), false,
            false, budget, List.of());
        case OPTIONAL_FIELDS -> new ProbeSpec(name, optional.request(), optional.stream(), false, budget,
            optional.sentFields());
        case INVALID_REQUEST -> new ProbeSpec(name, ProbeRequests.invalid(prompts, target.kind()), false, false, budget,
            List.of());
        case NEGATIVE_AUTH -> new ProbeSpec(name, ProbeRequests.single(prompts), false, true, budget, List.of());
        case TIMEOUT -> new ProbeSpec(name, ProbeRequests.single(prompts), false, false, options.timeoutProbeMs(),
            List.of());
      });
    }
    return specs;
  }

  /** Judges one probe's outcome against its pass condition (see the README's table). */
  public static ProbeResult judge(ProbeSpec spec, ProbeTarget target, ProbeOutcome outcome, ProbeOptions options) {
    Verdict verdict = switch (spec.name()) {
      case SHORT, MULTI_TURN -> answered(outcome, "answered");
      case TOKEN_CEILING -> ceiling(outcome, options.tokenCeiling());
      case OPTIONAL_FIELDS -> answered(outcome, spec.sentFields().isEmpty() ? "answered; the route enables no optional"
          + " field for this role" : "answered with " + String.join(", ", spec.sentFields()));
      case INVALID_REQUEST -> invalid(outcome);
      case PINNED_MODEL -> pinned(outcome, target.modelId());
      case NEGATIVE_AUTH -> negativeAuth(outcome);
      case TIMEOUT -> timeout(outcome, spec.budgetMs());
      case SCHEMA_PARSE -> schema(outcome);
      case USAGE_TELEMETRY -> usage(outcome);
    };
    ProviderFailure failure = outcome.failure();
    return new ProbeResult(spec.name().wireName(), target.provider(), target.role().wireName(), verdict.passed(),
        failure == null ? null : failure.errorClass().wireName(), verdict.detail(), outcome.latencyMs(),
        providerRequestId(outcome), usageOf(outcome));
  }

  private record Verdict(boolean passed, String detail) {}

  private static Verdict answered(ProbeOutcome outcome, String detail) {
    return outcome.answered() ? new Verdict(true, detail) : new Verdict(false, failed(outcome));
  }

  private static Verdict ceiling(ProbeOutcome outcome, int ceiling) {
    if (!outcome.answered()) {
      return new Verdict(false, failed(outcome));
    }
    Usage usage = usageOf(outcome);
    if (usage.source() == UsageSource.PROVIDER && usage.completionTokens() > ceiling) {
      return new Verdict(false, "answered with " + usage.completionTokens() + " completion tokens, above max_tokens "
          + ceiling);
    }
    return new Verdict(true, "answered within max_tokens " + ceiling + " (prompt tokens "
        + (usage.source() == UsageSource.PROVIDER ? usage.promptTokens() : "not reported") + ")");
  }

  private static Verdict invalid(ProbeOutcome outcome) {
    ProviderFailure failure = outcome.failure();
    if (failure == null) {
      return new Verdict(false, "the provider accepted an invalid request");
    }
    if (failure.errorClass() != ErrorClass.VALIDATION) {
      return new Verdict(false, "expected class validation, got " + failed(outcome));
    }
    if (failure.upstreamStatus() == 0) {
      return new Verdict(false, "refused by the node's own codec before it reached the provider: the provider's"
          + " error parsing was not exercised");
    }
    return new Verdict(true, "provider status " + failure.upstreamStatus() + " classified validation"
        + (failure.code() == null ? "" : " (code " + failure.code() + ")"));
  }

  private static Verdict pinned(ProbeOutcome outcome, String pin) {
    if (!outcome.answered()) {
      return new Verdict(false, failed(outcome));
    }
    String model = outcome.completion() != null ? outcome.completion().providerModel()
        : outcome.stream().providerModel();
    if (model == null || model.isEmpty()) {
      return new Verdict(true, "sent " + pin + "; the answer names no model");
    }
    // A provider may answer with the resolved, dated name of what was sent (gpt-4o-mini -> gpt-4o-mini-2024-07-18).
    if (model.equals(pin) || model.startsWith(pin + "-")) {
      return new Verdict(true, "sent " + pin + ", answered by " + model);
    }
    return new Verdict(false, "sent " + pin + ", answered by " + model);
  }

  private static Verdict negativeAuth(ProbeOutcome outcome) {
    ProviderFailure failure = outcome.failure();
    if (failure == null) {
      return new Verdict(false, "the provider accepted a deliberately invalid key");
    }
    if (failure.errorClass() != ErrorClass.AUTH) {
      return new Verdict(false, "expected class auth, got " + failed(outcome));
    }
    if (outcome.attempts() != 1) {
      return new Verdict(false, "classified auth after " + outcome.attempts() + " attempts; expected exactly one");
    }
    return new Verdict(true, "provider status " + failure.upstreamStatus() + " classified auth after 1 attempt,"
        + " not retried");
  }

  private static Verdict timeout(ProbeOutcome outcome, long timeoutMs) {
    ProviderFailure failure = outcome.failure();
    if (outcome.answered()) {
      return new Verdict(false, "answered within the " + timeoutMs + " ms timeout: cancellation not exercised (lower"
          + " probes.timeout_probe_ms)");
    }
    if (failure.errorClass() != ErrorClass.TIMEOUT) {
      return new Verdict(false, "expected class timeout, got " + failed(outcome));
    }
    long limit = timeoutMs + ProbeOptions.TIMEOUT_MARGIN_MS;
    if (outcome.latencyMs() > limit) {
      return new Verdict(false, "timed out but settled after " + outcome.latencyMs() + " ms, beyond " + limit + " ms");
    }
    ProbeOutcome next = outcome.followUp();
    if (next == null || !next.answered()) {
      return new Verdict(false, "timed out in " + outcome.latencyMs() + " ms, but the next request on the same"
          + " one-connection pool failed: " + (next == null ? "not sent" : failed(next)));
    }
    return new Verdict(true, "timed out and settled in " + outcome.latencyMs() + " ms (limit " + limit
        + " ms); the next request on the same one-connection pool was answered in " + next.latencyMs() + " ms");
  }

  private static Verdict schema(ProbeOutcome outcome) {
    if (outcome.completion() == null) {
      return new Verdict(false, failed(outcome));
    }
    JsonObject body = outcome.completion().body().toJsonObject();
    JsonArray choices = body.getJsonArray("choices");
    JsonObject first = choices == null || choices.isEmpty() ? null : choices.getJsonObject(0);
    if (first == null || first.getJsonObject("message") == null || first.getString("finish_reason") == null) {
      return new Verdict(false, "decoded, but choices[0].message or finish_reason is missing");
    }
    return new Verdict(true, "decoded strictly: id, object, " + choices.size() + " choice(s), message, finish_reason "
        + first.getString("finish_reason"));
  }

  private static Verdict usage(ProbeOutcome outcome) {
    if (!outcome.answered()) {
      return new Verdict(false, failed(outcome));
    }
    Usage usage = usageOf(outcome);
    if (usage.source() != UsageSource.PROVIDER) {
      return new Verdict(false, "the provider reported no usage (usage_source none): no measurable usage boundary");
    }
    return new Verdict(true, "usage_source provider: " + usage.promptTokens() + " prompt, " + usage.completionTokens()
        + " completion tokens");
  }

  /** A failed attempt's class and the failure's message (safe to log: never prompts, completions or keys). */
  private static String failed(ProbeOutcome outcome) {
    ProviderFailure failure = outcome.failure();
    if (failure == null) {
      return "no answer";
    }
    String message = failure.getMessage() == null ? "" : failure.getMessage();
    if (message.length() > 200) {
      message = message.substring(0, 200) + "...";
    }
    return failure.errorClass().wireName() + (failure.upstreamStatus() > 0 ? " (status " + failure.upstreamStatus()
        + ")" : "") + ": " + message;
  }

  private static Usage usageOf(ProbeOutcome outcome) {
    if (outcome.completion() != null) {
      return outcome.completion().usage();
    }
    return outcome.stream() != null ? outcome.stream().usage() : null;
  }

  private static String providerRequestId(ProbeOutcome outcome) {
    if (outcome.completion() != null) {
      return outcome.completion().providerRequestId();
    }
    if (outcome.stream() != null) {
      return outcome.stream().providerRequestId();
    }
    return outcome.failure() == null ? null : outcome.failure().providerRequestId();
  }
}
