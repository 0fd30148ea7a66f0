package io.turnout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.cli.CliHarness.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code validate}: the node's own loader on a config directory, without starting anything. */
class CliValidateTest {

  @Test
  void theShippedConfig_isValid() {
    Result r = CliHarness.run(Map.of(), "", "validate", "--conf", "conf");
    assertEquals(Exit.OK, r.code(), r.toString());
    assertTrue(r.out().matches("configuration in \\S+/conf is valid: \\d+ provider\\(s\\), \\d+ alias\\(es\\), \\d+ route "
        + "version\\(s\\), route map \\S+/conf/routes.yaml\\s*"), r.out());
  }

  @Test
  void anInvalidTurnoutYaml_printsTheFileAndFieldPath_andExits5() throws Exception {
    Path dir = copyOfShippedConf();
    Path yaml = dir.resolve("turnout.yaml");
    Files.writeString(yaml, Files.readString(yaml).replace("connect_ms: 1000", "connect_ms: soon"));
    Result r = CliHarness.run(Map.of(), "", "validate", "--conf", dir.toString());
    assertEquals(Exit.INVALID_CONFIG, r.code(), r.toString());
    assertTrue(r.err().startsWith(yaml + ": providers.primary.timeouts.connect_ms: "), r.err());
    assertTrue(r.err().contains("is INVALID (the loader stops at the first error"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void anInvalidRouteMap_namesTheRouteFileAndField() throws Exception {
    Path dir = copyOfShippedConf();
    Path routes = dir.resolve("routes.yaml");
    Files.writeString(routes, Files.readString(routes).replace("rollback_route_version: support-primary-v0",
        "rollback_route_version: support-primary-v9"));
    Result r = CliHarness.run(Map.of(), "", "validate", "--conf", dir.toString());
    assertEquals(Exit.INVALID_CONFIG, r.code(), r.toString());
    assertTrue(r.err().startsWith(routes + ": routes[0].rollback_route_version: "), r.err());
  }

  @Test
  void aMissingDirectory_isInvalidToo() {
    Result r = CliHarness.run(Map.of(), "", "validate", "--conf", "/nonexistent/turnout-conf");
    assertEquals(Exit.INVALID_CONFIG, r.code(), r.toString());
    assertTrue(r.err().contains("/nonexistent/turnout-conf/turnout.yaml"), r.err());
  }

  private static Path copyOfShippedConf() throws Exception {
    Path dir = Files.createTempDirectory("turnout-validate");
    Files.createDirectories(dir.resolve("secrets"));
    for (String name : new String[] {"turnout.yaml", "routes.yaml"}) {
      Files.copy(Path.of("conf", name), dir.resolve(name));
    }
    try (var secrets = Files.list(Path.of("conf", "secrets"))) {
      for (Path s : secrets.toList()) {
        Files.copy(s, dir.resolve("secrets").resolve(s.getFileName()));
      }
    }
    return dir;
  }
}
