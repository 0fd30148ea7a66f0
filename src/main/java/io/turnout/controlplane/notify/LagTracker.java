package io.turnout.controlplane.notify;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which members lag: a member whose acknowledged route revision stays behind the cluster's
 * current one for longer than the limit is reported once; it is reported again only after it
 * caught up and fell behind anew. Pure: the caller supplies the acknowledgements and the time.
 */
public final class LagTracker {

  /** A member found lagging: its revision, the cluster's, and for how long it has been behind. */
  public record Lag(String node, long revision, long current, long behindMs) {}

  private final long laggingAfterMs;
  private final Map<String, Long> behindSince = new HashMap<>();
  private final Set<String> reported = new HashSet<>();

  public LagTracker(long laggingAfterMs) {
    this.laggingAfterMs = laggingAfterMs;
  }

  /**
   * @param members every member's acknowledgement: {@code {node: {revision, time}}}
   * @param current the cluster's current route revision
   * @return the members newly found lagging
   */
  public List<Lag> update(JsonObject members, long current, long nowMs) {
    List<Lag> found = new ArrayList<>();
    behindSince.keySet().retainAll(members.fieldNames());
    reported.retainAll(members.fieldNames());
    for (String node : members.fieldNames()) {
      JsonObject ack = members.getJsonObject(node);
      long revision = ack == null ? current : ack.getLong("revision", current);
      if (revision >= current) {
        behindSince.remove(node);
        reported.remove(node);
        continue;
      }
      long since = behindSince.computeIfAbsent(node, n -> nowMs);
      if (nowMs - since >= laggingAfterMs && reported.add(node)) {
        found.add(new Lag(node, revision, current, nowMs - since));
      }
    }
    return found;
  }
}
