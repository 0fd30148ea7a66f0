package io.turnout.controlplane.notify;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two payload shapes and the signature.
 *
 * <ul>
 *   <li>generic: {@code {id, event, at, node, scope?, summary, details}}
 *   <li>slack (incoming-webhook compatible): {@code {text, blocks}}, the text an emoji and the
 *       one-line summary, the blocks the same line plus a context line (event, scope, node, time)
 * </ul>
 */
public final class Payloads {

  /** The signature header: {@code sha256=<hex HMAC-SHA256 of the exact body bytes, keyed with the secret>}. */
  public static final String SIGNATURE_HEADER = "x-turnout-signature";
  /** The event's wire name. */
  public static final String EVENT_HEADER = "x-turnout-event";
  /** The notification's id, the same on every retry of it. */
  public static final String DELIVERY_HEADER = "x-turnout-delivery";

  private Payloads() {}

  /** The payload for a webhook's format. */
  public static JsonObject of(WebhookOptions.Format format, Notification n) {
    return format == WebhookOptions.Format.SLACK ? slack(n) : generic(n);
  }

  /** The generic shape: {@code {id, event, at, node, scope?, summary, details}}. */
  public static JsonObject generic(Notification n) {
    JsonObject json = new JsonObject().put("id", n.id()).put("event", n.event().wireName()).put("at", n.at().toString())
        .put("node", n.node());
    if (n.scope() != null) {
      json.put("scope", n.scope());
    }
    return json.put("summary", n.summary()).put("details", n.details());
  }

  /** The Slack incoming-webhook shape: {@code {text, blocks}}. */
  public static JsonObject slack(Notification n) {
    String text = emoji(n.event()) + " " + n.summary();
    String context = "`" + n.event().wireName() + "`" + (n.scope() == null ? "" : " · " + n.scope()) + " · node "
        + n.node() + " · " + n.at();
    JsonArray blocks = new JsonArray()
        .add(new JsonObject().put("type", "section").put("text", mrkdwn(text)))
        .add(new JsonObject().put("type", "context").put("elements", new JsonArray().add(mrkdwn(context))));
    return new JsonObject().put("text", text).put("blocks", blocks);
  }

  /** {@code sha256=<hex>} of {@code body} keyed with {@code secret}. */
  public static String signature(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  static String emoji(NotifyEvent event) {
    return switch (event) {
      case GATE_ACTION -> ":rotating_light:";
      case DRILL_WAITING -> ":hourglass_flowing_sand:";
      case DRILL_BLOCKED -> ":no_entry:";
      case DRILL_ABORTED -> ":octagonal_sign:";
      case DRILL_COMPLETE -> ":white_check_mark:";
      case ROUTE_EDIT_REFUSED -> ":warning:";
      case MEMBER_LOST -> ":x:";
      case MEMBER_LAGGING -> ":turtle:";
      case PROBE_FAILED -> ":test_tube:";
    };
  }

  private static JsonObject mrkdwn(String text) {
    return new JsonObject().put("type", "mrkdwn").put("text", text);
  }
}
