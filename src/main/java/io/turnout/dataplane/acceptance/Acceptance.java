package io.turnout.dataplane.acceptance;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * The node's output acceptance checks, per app model alias. An attempt of an alias with rules
 * gets a {@link Tracker} that follows the answer (a whole body, or a stream chunk by chunk) and
 * judges it when it is complete; aliases without rules cost nothing.
 */
public final class Acceptance {

  /** No checks anywhere. */
  public static final Acceptance NONE = new Acceptance(Map.of());

  /** One judged answer. */
  public record Verdict(List<String> failures, boolean treatAsFailure) {
    public boolean passed() {
      return failures.isEmpty();
    }
  }

  private final Map<String, AcceptanceRules> byAlias;
  private final SchemaCache schemas = new SchemaCache(SchemaCache.DEFAULT_CAPACITY);

  public Acceptance(Map<String, AcceptanceRules> byAlias) {
    this.byAlias = Map.copyOf(byAlias);
  }

  /** A tracker for one attempt of {@code alias}, or null when the alias has no checks. */
  public Tracker track(String alias, JsonObject request) {
    AcceptanceRules rules = alias == null ? null : byAlias.get(alias);
    return rules == null ? null : new Tracker(rules, request, schemas);
  }

  /** Follows one attempt's answer. Used on the attempt's event loop only. */
  public static final class Tracker {
    private final AcceptanceRules rules;
    private final JsonObject request;
    private final SchemaCache schemas;
    private AnswerShape streamed;

    private Tracker(AcceptanceRules rules, JsonObject request, SchemaCache schemas) {
      this.rules = rules;
      this.request = request;
      this.schemas = schemas;
    }

    /** Whether a failed check fails the attempt (so it must be judged before answering). */
    public boolean treatAsFailure() {
      return rules.treatAsFailure();
    }

    /** A streamed chunk went to the client. */
    public void chunk(Buffer chunkJson) {
      if (streamed == null) {
        streamed = new AnswerShape();
      }
      try {
        streamed.addChunk(chunkJson);
      } catch (RuntimeException unreadable) {
        // The codec emits well-formed chunks; an unreadable one is judged by what was read.
      }
    }

    /** Judges a whole {@code chat.completion} body. */
    public Verdict completed(Buffer body) {
      AnswerShape shape;
      try {
        shape = AnswerShape.ofCompletion(body);
      } catch (RuntimeException unreadable) {
        return new Verdict(List.of("schema: the answer could not be read"), rules.treatAsFailure());
      }
      return new Verdict(AcceptanceCheck.failures(rules, request, shape, schemas), rules.treatAsFailure());
    }

    /** Judges the stream followed so far (call when it ended well). */
    public Verdict streamEnded() {
      return new Verdict(AcceptanceCheck.failures(rules, request, streamed == null ? new AnswerShape() : streamed,
          schemas),
          rules.treatAsFailure());
    }
  }
}
