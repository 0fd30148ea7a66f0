package io.turnout.controlplane.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.config.ConfigException;
import io.turnout.config.ConfigNode;
import io.turnout.config.SecretResolver;
import io.turnout.config.YamlFiles;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code notifications} in turnout.yaml: defaults, strictness, and errors that name the field path. */
class NotifyOptionsTest {

  private static final SecretResolver SECRETS = new SecretResolver(Map.of("HOOK_SECRET", "s3cr3t-value", "SLACK_URL",
      "https://hooks.slack.example/services/T000/B000/secretpath"), Path.of("."));

  private static NotifyOptions parse(String yaml) {
    ConfigNode root = ConfigNode.root("turnout.yaml", YamlFiles.parse("turnout.yaml", yaml));
    return NotifyOptions.fromConfig(root.child("notifications"), SECRETS);
  }

  private static String error(String yaml) {
    return assertThrows(ConfigException.class, () -> parse(yaml)).getMessage();
  }

  @Test
  void absentSection_isOff() {
    NotifyOptions options = parse("node: {}\n");
    assertFalse(options.enabled());
  }

  @Test
  void minimalWebhook_getsEveryEventAndTheDefaults() {
    NotifyOptions options = parse("notifications:\n  webhooks:\n    ops: {url: \"https://hooks.example/t?x=1\"}\n");
    WebhookOptions ops = options.webhooks().get(0);
    assertEquals("ops", ops.name());
    assertEquals(WebhookOptions.Format.GENERIC, ops.format());
    assertEquals(EnumSet.allOf(NotifyEvent.class), ops.events());
    assertNull(ops.secret());
    assertEquals(WebhookOptions.DEFAULT_TIMEOUT_MS, ops.timeoutMs());
    assertEquals(WebhookOptions.DEFAULT_MAX_ATTEMPTS, ops.maxAttempts());
    assertEquals(WebhookOptions.DEFAULT_QUEUE_SIZE, ops.queueSize());
    // the query may hold a token: it never reaches a log line
    assertEquals("https://hooks.example/t", ops.redactedUrl());
  }

  @Test
  void fullWebhook_readsEveryField() {
    NotifyOptions options = parse("""
        notifications:
          lagging_after_ms: 5000
          webhooks:
            slack:
              url: http://127.0.0.1:9/hook
              format: slack
              secret: "${HOOK_SECRET}"
              events: [gate_action, drill_blocked]
              timeout_ms: 250
              max_attempts: 3
              queue_size: 10
              backoff_ms: 5
              max_backoff_ms: 50
        """);
    WebhookOptions slack = options.webhooks().get(0);
    assertEquals(WebhookOptions.Format.SLACK, slack.format());
    assertEquals("s3cr3t-value", slack.secret());
    assertEquals(EnumSet.of(NotifyEvent.GATE_ACTION, NotifyEvent.DRILL_BLOCKED), slack.events());
    assertEquals(250, slack.timeoutMs());
    assertEquals(3, slack.maxAttempts());
    assertEquals(10, slack.queueSize());
    assertEquals(5, slack.backoffMs());
    assertEquals(50, slack.maxBackoffMs());
    assertEquals(5000, options.laggingAfterMs());
  }

  @Test
  void aUrlFromASecretReference_isResolved_andNeverLoggedBeyondItsOrigin() {
    WebhookOptions slack = parse("notifications:\n  webhooks:\n    slack: {url: \"${SLACK_URL}\", format: slack}\n")
        .webhooks().get(0);
    assertEquals("https://hooks.slack.example/services/T000/B000/secretpath", slack.url().toString());
    assertEquals("https://hooks.slack.example/…", slack.redactedUrl());
    String missing = error("notifications:\n  webhooks:\n    slack: {url: \"${NO_SUCH_URL}\"}\n");
    assertTrue(missing.contains("notifications.webhooks.slack.url: environment variable NO_SUCH_URL is not set"), missing);
  }

  @Test
  void unknownField_isRefusedWithItsPath() {
    assertTrue(error("notifications:\n  webhooks:\n    ops: {url: \"http://h/x\", tmeout_ms: 5}\n")
        .contains("notifications.webhooks.ops.tmeout_ms: unknown field"));
    assertTrue(error("notifications:\n  webhoks: {}\n").contains("notifications.webhoks: unknown field"));
  }

  @Test
  void badValues_nameTheirField() {
    assertTrue(error("notifications:\n  webhooks:\n    ops: {format: generic}\n")
        .contains("notifications.webhooks.ops.url: is required"));
    assertTrue(error("notifications:\n  webhooks:\n    ops: {url: \"ftp://h/x\"}\n")
        .contains("notifications.webhooks.ops.url: must be an http:// or https:// URL"));
    assertTrue(error("notifications:\n  webhooks:\n    ops: {url: \"http://u:p@h/x\"}\n")
        .contains("notifications.webhooks.ops.url: must not hold credentials"));
    assertTrue(error("notifications:\n  webhooks:\n    ops: {url: \"http://h/x\", format: teams}\n")
        .contains("notifications.webhooks.ops.format: must be one of generic, slack"));
    assertTrue(error("notifications:\n  webhooks:\n    ops: {url: \"http://h/x\", events: [gate_action, gate_fired]}\n")
        .contains("notifications.webhooks.ops.events[1]: must be one of gate_action"));
    assertTrue(error("notifications:\n  webhooks:\n    ops: {url: \"http://h/x\", events: []}\n")
        .contains("notifications.webhooks.ops.events: must name at least one event"));
    assertTrue(error("notifications:\n  webhooks:\n    ops: {url: \"http://h/x\", max_attempts: 0}\n")
        .contains("notifications.webhooks.ops.max_attempts: must be between 1 and 100"));
  }

  @Test
  void literalSecret_isRefusedWithoutEchoingIt() {
    String message = error("notifications:\n  webhooks:\n    ops: {url: \"http://h/x\", secret: hunter2-literal}\n");
    assertTrue(message.contains("notifications.webhooks.ops.secret: must be a secret reference"), message);
    assertFalse(message.contains("hunter2-literal"), message);
    assertTrue(error("notifications:\n  webhooks:\n    ops: {url: \"http://h/x\", secret: \"${UNSET_SECRET}\"}\n")
        .contains("notifications.webhooks.ops.secret: environment variable UNSET_SECRET is not set"));
  }
}
