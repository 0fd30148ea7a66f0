package io.turnout.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The commented data-policy example in conf/turnout.yaml, uncommented, validates against the shipped route map. */
class ShippedDataPolicyExampleTest {

  @Test
  void uncommentedExample_loadsWithTheShippedRoutes() throws IOException {
    Path conf = Path.of("conf");
    String text = Files.readString(conf.resolve(NodeConfig.FILE));
    String uncommented = text.replaceAll("(?m)^(\\s*)# (approval: .*)$", "$1$2")
        .replaceAll("(?m)^# ( {0,4}(data_policy|cohorts|\"\\*\"|internal):.*)$", "$1");
    assertTrue(uncommented.contains("\ndata_policy:\n"), "the example is still in conf/turnout.yaml");

    NodeConfig config = NodeConfig.parse("conf/turnout.yaml", uncommented, conf,
        Map.of(io.turnout.controlplane.admin.DemoTokenGuard.ENV_ALLOW, "true"), name -> read(conf, name));

    assertTrue(config.dataPolicy().enabled());
    assertEquals("internal", config.dataPolicy().forCohort("internal").dataClass());
    assertNotNull(config.providers().get("claude").approval());
    assertEquals(3, config.providers().values().stream().filter(p -> p.approval() != null).count());
  }

  private static String read(Path conf, String name) {
    try {
      return Files.readString(conf.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
