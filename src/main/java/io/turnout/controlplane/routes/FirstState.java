package io.turnout.controlplane.routes;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Whether a member that finds no shared route state (the whole cluster is starting again) may
 * write its own as the cluster's: only once it has acknowledged its revision to the members for
 * {@link #SETTLE} (so every member present has acknowledged its own, which needs a quorum), and
 * only if no member present serves a newer revision; that member writes its state instead. So a
 * whole-cluster restart comes back on the newest revision any starting member's audit log holds,
 * whatever the order members start in, and no member commits a revision number another member's
 * log already holds. Pure: acknowledgements and times in, decision out.
 */
public final class FirstState {

  /** How long acknowledgements settle before the first state is written: two acknowledgement rounds. */
  public static final Duration SETTLE = Duration.ofSeconds(3);

  /** The decision, and why a member waits (null when it writes). */
  public record Decision(boolean write, String waitReason) {}

  private FirstState() {}

  /** Each member's acknowledged revision, from the members' acknowledgements ({@code {node: {revision, time}}}). */
  public static Map<String, Long> revisions(io.vertx.core.json.JsonObject acknowledgements) {
    Map<String, Long> revisions = new java.util.HashMap<>();
    acknowledgements.forEach(e -> revisions.put(e.getKey(),
        ((io.vertx.core.json.JsonObject) e.getValue()).getLong("revision", -1L)));
    return revisions;
  }

  /**
   * The refusal of a change on a member that has not joined the shared state yet: 503
   * {@code no_quorum} while it has not seen a quorum, else {@code cluster_starting}.
   */
  public static io.turnout.controlplane.CommandRefusal notJoined(boolean quorumSeen, String waitingFor) {
    return quorumSeen ? new io.turnout.controlplane.CommandRefusal(503, "cluster_starting", "The cluster's members"
        + " are comparing their newest audited revisions before one state is adopted (" + waitingFor + "); try again"
        + " in a few seconds", null) : new io.turnout.controlplane.CommandRefusal(503, "no_quorum", "This member has"
        + " not seen a quorum of cluster.expected_members yet: route changes are refused until a majority is up", null);
  }

  /**
   * @param mine the revision this member serves
   * @param acknowledged every member's acknowledged revision, this member's included
   * @param firstAcknowledged when this member's acknowledgement was first written, or null
   */
  public static Decision decide(String me, long mine, Map<String, Long> acknowledged, Instant firstAcknowledged,
      Instant now) {
    if (firstAcknowledged == null) {
      return new Decision(false, "this member's acknowledgement is not written yet (no quorum of members yet)");
    }
    if (now.isBefore(firstAcknowledged.plus(SETTLE))) {
      return new Decision(false, "the members present are comparing their newest audited revisions");
    }
    for (Map.Entry<String, Long> member : acknowledged.entrySet()) {
      if (!member.getKey().equals(me) && member.getValue() > mine) {
        return new Decision(false, "member " + member.getKey() + " serves revision " + member.getValue()
            + ", newer than this member's " + mine + ": it writes the cluster's state");
      }
    }
    return new Decision(true, null);
  }
}
