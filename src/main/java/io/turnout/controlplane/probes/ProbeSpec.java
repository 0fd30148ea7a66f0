package io.turnout.controlplane.probes;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One probe request, ready to send.
 *
 * @param name which probe
 * @param request the OpenAI chat request (the adapter puts the pinned model id in)
 * @param stream whether it is sent as a stream
 * @param invalidKey whether it is sent with a deliberately invalid key
 * @param budgetMs the attempt's total budget
 * @param sentFields the optional fields the request carries (names only, for the evidence)
 */
public record ProbeSpec(ProbeName name, JsonObject request, boolean stream, boolean invalidKey, long budgetMs,
    List<String> sentFields) {

  public ProbeSpec {
    sentFields = List.copyOf(sentFields);
  }
}
