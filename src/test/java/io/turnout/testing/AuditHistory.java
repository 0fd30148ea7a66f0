package io.turnout.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The cluster's history as the members' audit logs hold it: every entry that records a revision
 * and its pointers. Revisions are the cluster's version numbers, so across every log one revision
 * must always mean one set of pointers, and no member's log may go back to an older revision.
 */
public final class AuditHistory {

  private AuditHistory() {}

  /** The pointers of an entry as a set (their order in the list means nothing). */
  static Set<JsonObject> pointers(JsonObject entry) {
    Set<JsonObject> set = new HashSet<>();
    entry.getJsonArray("pointers", new JsonArray()).forEach(p -> set.add((JsonObject) p));
    return set;
  }

  /** Entries that record a revision and its pointers, oldest first. */
  static List<JsonObject> revisions(List<JsonObject> log) {
    return log.stream().filter(e -> e.getValue("revision") instanceof Number && e.getJsonArray("pointers") != null)
        .toList();
  }

  /** Fails when one revision number stands for two different pointer sets in any of the logs (or across them). */
  public static void assertOnePointerSetPerRevision(Map<String, List<JsonObject>> logs) {
    Map<Long, Set<JsonObject>> seen = new TreeMap<>();
    Map<Long, String> where = new TreeMap<>();
    List<String> conflicts = new ArrayList<>();
    logs.forEach((member, log) -> {
      for (JsonObject entry : revisions(log)) {
        long revision = entry.getLong("revision");
        Set<JsonObject> pointers = pointers(entry);
        Set<JsonObject> before = seen.putIfAbsent(revision, pointers);
        if (before == null) {
          where.put(revision, member + ": " + entry.encode());
        } else if (!before.equals(pointers)) {
          conflicts.add("revision " + revision + ": " + where.get(revision) + "\n    vs " + member + ": "
              + entry.encode());
        }
      }
    });
    assertTrue(conflicts.isEmpty(), "a revision number was used for two pointer sets:\n  "
        + String.join("\n  ", conflicts));
  }

  /** Fails when a member's log records an older revision after a newer one (revisions went backwards there). */
  public static void assertNeverBackwards(String member, List<JsonObject> log) {
    long last = -1;
    for (JsonObject entry : revisions(log)) {
      long revision = entry.getLong("revision");
      assertTrue(revision >= last, member + "'s audit log goes back from revision " + last + " to " + revision
          + ": " + entry.encode() + "\nwhole log:\n" + String.join("\n", log.stream().map(JsonObject::encode)
          .toList()));
      last = revision;
    }
  }

  /** The newest revision any log records, with its pointers' route versions for the chat alias. */
  public static JsonObject newest(Map<String, List<JsonObject>> logs) {
    JsonObject newest = null;
    for (List<JsonObject> log : logs.values()) {
      for (JsonObject entry : revisions(log)) {
        if (newest == null || entry.getLong("revision") > newest.getLong("revision")) {
          newest = entry;
        }
      }
    }
    return newest;
  }

  /** The pointers of an audit entry or of {@code GET /admin/routes}, as a set. */
  public static Set<JsonObject> pointersOf(JsonObject entryOrStatus) {
    return pointers(entryOrStatus);
  }

  /** The route version the chat alias's pointer names in an entry. */
  public static String chatPointer(JsonObject entry) {
    return pointers(entry).stream().filter(p -> "chat".equals(p.getString("model_alias")))
        .map(p -> p.getString("route_version")).findFirst().orElse(null);
  }
}
