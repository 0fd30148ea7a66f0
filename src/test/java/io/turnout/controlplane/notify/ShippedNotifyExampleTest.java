package io.turnout.controlplane.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.config.ConfigNode;
import io.turnout.config.SecretResolver;
import io.turnout.config.YamlFiles;
import io.turnout.controlplane.admin.DemoTokenGuard;
import io.turnout.node.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The commented notifications example in conf/turnout.yaml parses once uncommented; as shipped, none is on. */
class ShippedNotifyExampleTest {

  @Test
  void theCommentedExample_parses_andNothingIsEnabledByDefault() throws IOException {
    String text = Files.readString(Path.of("conf/turnout.yaml"));
    int start = text.indexOf("\n# notifications:\n");
    assertTrue(start >= 0, "the example is in conf/turnout.yaml");
    StringBuilder yaml = new StringBuilder();
    for (String line : text.substring(start + 1).split("\n")) {
      if (!line.startsWith("#")) {
        break;
      }
      yaml.append(line.replaceFirst("^# ?", "")).append('\n');
    }
    SecretResolver secrets = new SecretResolver(Map.of("TURNOUT_WEBHOOK_SECRET", "s", "SLACK_WEBHOOK_URL",
        "https://hooks.slack.example/services/T/B/x"), Path.of("conf"));
    ConfigNode root = ConfigNode.root("conf/turnout.yaml", YamlFiles.parse("conf/turnout.yaml", yaml.toString()));
    NotifyOptions options = NotifyOptions.fromConfig(root.child("notifications"), secrets);
    root.finish();
    assertEquals(2, options.webhooks().size());
    assertEquals(WebhookOptions.Format.SLACK, options.webhooks().get(1).format());

    assertFalse(NodeConfig.load(Path.of("conf"), Map.of(DemoTokenGuard.ENV_ALLOW, "true")).notifications().enabled());
  }
}
