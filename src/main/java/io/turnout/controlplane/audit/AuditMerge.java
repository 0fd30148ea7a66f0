package io.turnout.controlplane.audit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One cluster history from every member's audit log. A change appears in the log of the member
 * that made it and, marked {@code adopted} with {@code changed_on} and {@code changed_at}, in the
 * log of every member that applied it; merged, it is one entry (the maker's own when that member
 * answered, else the first adopted copy) with {@code seen_on}: the members whose logs hold it.
 * Ordered by revision, then time; entries without a revision (a key rotation) sort by time among
 * them. Pure: logs in, history out.
 */
public final class AuditMerge {

  private AuditMerge() {}

  /**
   * @param logs each member's newest entries, by member name
   * @param limit how many of the newest merged entries to keep
   */
  public static List<JsonObject> merge(Map<String, List<JsonObject>> logs, int limit) {
    Map<String, JsonObject> byChange = new LinkedHashMap<>();
    logs.forEach((member, entries) -> {
      for (JsonObject entry : entries) {
        String key = key(entry);
        JsonObject kept = byChange.get(key);
        boolean own = !"adopted".equals(entry.getString("action"));
        if (kept == null || own && "adopted".equals(kept.getString("action"))) {
          JsonArray seen = kept == null ? new JsonArray() : kept.getJsonArray("seen_on");
          kept = entry.copy().put("seen_on", seen);
          byChange.put(key, kept);
        }
        if (!kept.getJsonArray("seen_on").contains(member)) {
          kept.getJsonArray("seen_on").add(member);
        }
      }
    });
    List<JsonObject> merged = new ArrayList<>(byChange.values());
    merged.sort(Comparator.<JsonObject>comparingLong(e -> e.getLong("revision", -1L))
        .thenComparing(e -> e.getString("changed_at", e.getString("time", ""))));
    return merged.subList(Math.max(0, merged.size() - limit), merged.size());
  }

  /** The change an entry records: its revision, and who made it when (an adopted copy names the maker). */
  static String key(JsonObject entry) {
    boolean adopted = "adopted".equals(entry.getString("action"));
    String node = adopted ? entry.getString("changed_on", entry.getString("operator", "")) : entry.getString("node");
    String time = adopted ? entry.getString("changed_at", "") : entry.getString("time");
    String action = adopted ? entry.getString("change_action", "") : entry.getString("action");
    if (adopted && entry.getString("changed_at") == null || !adopted && "join".equals(action)) {
      // A member's join (or a state adopted without its change): the revision alone names it.
      return entry.getLong("revision", -1L) + "|join";
    }
    return entry.getLong("revision", -1L) + "|" + node + "|" + time + "|" + action;
  }
}
