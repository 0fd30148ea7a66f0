package io.turnout.controlplane.gates;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What members must agree on for cluster-wide gates to mean anything: the bucket width (a member
 * with another one has its counts left out of everyone else's sums) and the rules. Every member
 * exports its fingerprint with its counts; a member that differs is shown in
 * {@code GET /admin/gates}, counted in a gauge and logged once, loudly, per member and
 * fingerprint (not every tick).
 */
final class GateSettings {

  private static final Logger LOG = LoggerFactory.getLogger(GateSettings.class);

  private final JsonObject fingerprint;
  private final Set<String> reported = new HashSet<>();
  private List<JsonObject> disagreeing = List.of();

  GateSettings(GateOptions options) {
    JsonArray rules = new JsonArray();
    options.rules().stream().map(GateRule::toJson).map(JsonObject::encode).sorted().forEach(rules::add);
    this.fingerprint = new JsonObject().put("bucket_ms", options.bucketMs()).put("rules_digest", digest(rules.encode()));
  }

  /** {@code {bucket_ms, rules_digest}}: what this member exports beside its counts. */
  JsonObject fingerprint() {
    return fingerprint.copy();
  }

  /** Takes the latest evaluation's disagreeing members; logs each new one once. Returns how many there are. */
  int observe(List<JsonObject> members) {
    this.disagreeing = List.copyOf(members);
    for (JsonObject member : members) {
      if (reported.add(member.encode())) {
        LOG.error("Member {} evaluates gates with other settings than this member (bucket_ms {} vs {}, rules digest "
            + "{} vs {}): cluster-wide verdicts are not comparable{}; give every member the same gates section",
            member.getString("node"), member.getValue("bucket_ms"), fingerprint.getValue("bucket_ms"),
            member.getValue("rules_digest"), fingerprint.getValue("rules_digest"),
            fingerprint.getValue("bucket_ms").equals(member.getValue("bucket_ms")) ? ""
                : ", and its counts are left out of this member's sums");
      }
    }
    return members.size();
  }

  /** The members that differ, as last seen. */
  JsonArray disagreeing() {
    return new JsonArray(List.copyOf(disagreeing));
  }

  private static String digest(String text) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
