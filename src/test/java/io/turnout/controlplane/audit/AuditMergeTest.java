package io.turnout.controlplane.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditMergeTest {

  private static JsonObject own(long revision, String node, String time, String operator) {
    return new JsonObject().put("revision", revision).put("node", node).put("time", time).put("action", "activate")
        .put("operator", operator).put("from", "v1").put("to", "v2");
  }

  private static JsonObject adopted(JsonObject change, String on, String time) {
    return change.copy().put("changed_on", change.getString("node")).put("changed_at", change.getString("time"))
        .put("change_action", change.getString("action")).put("action", "adopted").put("node", on).put("time", time);
  }

  @Test
  void aChangeInSeveralLogs_isOneEntry_theMakersOwn_seenOnEveryMemberThatHoldsIt() {
    JsonObject first = own(1, "a", "2026-12-04T01:00:00Z", "alice");
    JsonObject second = own(2, "b", "2026-12-04T01:05:00Z", "bob");
    Map<String, List<JsonObject>> logs = new LinkedHashMap<>();
    logs.put("c", List.of(adopted(first, "c", "2026-12-04T01:00:01Z"), adopted(second, "c", "2026-12-04T01:05:01Z")));
    logs.put("a", List.of(first, adopted(second, "a", "2026-12-04T01:05:02Z")));
    logs.put("b", List.of(second));

    List<JsonObject> merged = AuditMerge.merge(logs, 100);

    assertEquals(2, merged.size());
    assertEquals("alice", merged.get(0).getString("operator"));
    assertEquals("activate", merged.get(0).getString("action"), "the maker's own entry wins over a copy");
    assertEquals(new JsonArray().add("c").add("a"), merged.get(0).getJsonArray("seen_on"));
    assertEquals(2L, merged.get(1).getLong("revision"));
    assertEquals(new JsonArray().add("c").add("a").add("b"), merged.get(1).getJsonArray("seen_on"));
  }

  @Test
  void aMakerThatDidNotAnswer_isStillInTheHistory_throughACopy_andTheLimitKeepsTheNewest() {
    JsonObject first = own(1, "a", "2026-12-04T01:00:00Z", "alice");
    JsonObject second = own(2, "a", "2026-12-04T01:05:00Z", "alice");
    JsonObject third = own(3, "a", "2026-12-04T01:06:00Z", "alice");
    Map<String, List<JsonObject>> logs = Map.of("b", List.of(adopted(first, "b", "t1"), adopted(second, "b", "t2"),
        adopted(third, "b", "t3")));

    List<JsonObject> merged = AuditMerge.merge(logs, 2);

    assertEquals(List.of(2L, 3L), merged.stream().map(e -> e.getLong("revision")).toList());
    assertEquals("a", merged.get(0).getString("changed_on"));
  }
}
