package io.turnout.controlplane.audit;

import io.turnout.routes.ActivePointers;
import io.turnout.routes.RouteMap;
import io.turnout.routes.ScopeControl;
import io.turnout.routes.ScopeKey;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Brings back the pointers in force before the node stopped, from the audit log: the newest
 * entry's pointers win over the file's {@code active} section as long as that section is still
 * what it was when the entry was written. If the file's pointers were edited while the node was
 * down, the edit is the newer intent and the file wins. Pure: entries and map in, pointers out.
 */
public final class AuditRestore {

  /** The pointers to start with, and why. */
  public record Outcome(ActivePointers pointers, boolean restored, String note) {}

  private AuditRestore() {}

  public static Outcome pointers(RouteMap fileMap, List<JsonObject> entries) {
    ActivePointers file = fileMap.active();
    if (entries.isEmpty()) {
      return new Outcome(file, false, "no audit entries");
    }
    JsonObject last = entries.get(entries.size() - 1);
    ActivePointers recordedFile;
    ActivePointers recorded;
    try {
      recordedFile = ActivePointers.fromJson(new JsonObject().put("pointers", last.getJsonArray("file_pointers")));
      recorded = ActivePointers.fromJson(new JsonObject().put("revision", last.getLong("revision", 0L))
          .put("pointers", last.getJsonArray("pointers")));
    } catch (RuntimeException unreadable) {
      return new Outcome(file, false, "the newest audit entry has no readable pointers");
    }
    if (!recordedFile.byScope().equals(file.byScope())) {
      return new Outcome(file, false, "the route map file's active section changed since the last audited change");
    }
    Map<ScopeKey, String> kept = new LinkedHashMap<>();
    recorded.byScope().forEach((scope, version) -> {
      try {
        // Expiry is not judged here: an expired version is moved on by the route table at start.
        fileMap.checkActivation(scope, version, Instant.MIN);
        kept.put(scope, version);
      } catch (IllegalArgumentException gone) {
        String fromFile = file.get(scope);
        if (fromFile != null) {
          kept.put(scope, fromFile);
        }
      }
    });
    Map<ScopeKey, ScopeControl> controls = new LinkedHashMap<>();
    kept.forEach((scope, version) -> {
      if (version.equals(recorded.get(scope))) {
        controls.put(scope, recorded.control(scope));
      }
    });
    return new Outcome(new ActivePointers(recorded.revision(), kept, controls), true,
        "restored revision " + recorded.revision() + " from the audit log");
  }
}
