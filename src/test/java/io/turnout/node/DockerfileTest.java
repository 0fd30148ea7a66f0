package io.turnout.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import io.turnout.dataplane.http.HttpOptions;

/**
 * The Dockerfile, parsed: pinned base images, a numeric non-root user, a health check on
 * readiness, and EXPOSE matching the ports the config listens on by default.
 */
class DockerfileTest {

  /** {@code admin.port}'s default: the admin API's own listener. */
  private static final int ADMIN_PORT = 8081;

  /** One instruction: its keyword and arguments, continuation lines joined. */
  private record Instruction(String keyword, String args) {}

  private static List<Instruction> instructions() throws IOException {
    List<Instruction> result = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readAllLines(Path.of("Dockerfile"))) {
      String trimmed = line.trim();
      if (current.length() == 0 && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
        continue;
      }
      if (trimmed.startsWith("#")) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      String text = current.toString().trim();
      int space = text.indexOf(' ');
      result.add(new Instruction(text.substring(0, space).toUpperCase(), text.substring(space + 1).trim()));
      current.setLength(0);
    }
    return result;
  }

  /** The instructions of the last stage: the image that runs. */
  private static List<Instruction> runtimeStage() throws IOException {
    List<Instruction> all = instructions();
    int last = 0;
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).keyword().equals("FROM")) {
        last = i;
      }
    }
    return all.subList(last, all.size());
  }

  private static List<String> args(List<Instruction> stage, String keyword) {
    return stage.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::args).toList();
  }

  @Test
  void everyBaseImage_isPinnedToASpecificVersion() throws IOException {
    Pattern pinned = Pattern.compile("[^:@\\s]+(:[^\\s@]*\\d+\\.\\d+\\.\\d+[^\\s@]*)(@sha256:[0-9a-f]{64})?");
    List<String> froms = args(instructions(), "FROM");
    assertEquals(2, froms.size(), froms.toString());
    for (String from : froms) {
      String image = from.split("\\s+")[0];
      assertTrue(pinned.matcher(image).matches(), "not pinned to a x.y.z version: " + image);
      assertFalse(image.contains(":latest"), image);
    }
    assertTrue(froms.get(1).startsWith("eclipse-temurin:17."), "a Java 17 JRE runs the node: " + froms.get(1));
    assertTrue(froms.get(1).contains("-jre"), "a JRE, not a JDK: " + froms.get(1));
  }

  @Test
  void theRuntimeUser_isNumericAndNotRoot() throws IOException {
    List<String> users = args(runtimeStage(), "USER");
    assertEquals(1, users.size(), users.toString());
    Matcher numeric = Pattern.compile("(\\d+)(:(\\d+))?").matcher(users.get(0));
    assertTrue(numeric.matches(), "USER must be numeric (uid[:gid]): " + users.get(0));
    assertNotEquals("0", numeric.group(1), "not root");
    assertTrue(numeric.group(3) == null || !numeric.group(3).equals("0"), "not the root group");
    // the account exists with that uid, and owns the data volume
    String setup = String.join(" ", args(runtimeStage(), "RUN"));
    assertTrue(setup.contains("--uid " + numeric.group(1)), setup);
    assertTrue(setup.contains("chown " + users.get(0) + " /opt/turnout/data"), setup);
  }

  @Test
  void aHealthCheck_asksForReadiness() throws IOException {
    List<String> checks = args(runtimeStage(), "HEALTHCHECK");
    assertEquals(1, checks.size(), checks.toString());
    String check = checks.get(0);
    assertTrue(check.contains(" CMD "), check);
    assertTrue(check.contains("/health/ready"), check);
    assertTrue(check.contains("${TURNOUT_HTTP_PORT:-" + HttpOptions.DEFAULT_PORT + "}"),
        "the default port, or the override the node reads: " + check);
    // wget is in the pinned Ubuntu-based Temurin image; the Alpine and distroless ones differ
    assertTrue(check.contains("wget") && args(runtimeStage(), "FROM").get(0).contains("-jammy"), check);
  }

  @Test
  void exposedPorts_matchTheConfigDefaults() throws IOException {
    Set<Integer> exposed = new TreeSet<>();
    args(runtimeStage(), "EXPOSE").forEach(a -> Arrays.stream(a.split("\\s+"))
        .forEach(p -> exposed.add(Integer.parseInt(p.replace("/tcp", "")))));
    Matcher hazelcast = Pattern.compile("<port[^>]*>(\\d+)</port>").matcher(Files.readString(Path.of("cluster/cluster.xml")));
    assertTrue(hazelcast.find(), "cluster.xml names its port");
    assertEquals(new TreeSet<>(Set.of(HttpOptions.DEFAULT_PORT, Integer.parseInt(hazelcast.group(1)), ADMIN_PORT,
        io.turnout.controlplane.cluster.ClusterOptions.DEFAULT_EVENT_BUS_PORT)), exposed);
  }

  @Test
  void theImage_doesNotOptIntoTheDemoToken() throws IOException {
    String text = Files.readString(Path.of("Dockerfile"));
    for (String env : args(instructions(), "ENV")) {
      assertFalse(env.contains("TURNOUT_ALLOW_DEMO_TOKEN"), env);
    }
    assertTrue(text.contains("TURNOUT_ALLOW_DEMO_TOKEN=true"), "the opt-in is explained to whoever reads it");
  }

  @Test
  void theJvm_isToldToCompileHotCodeEarly_andToExitOnOutOfMemory() throws IOException {
    String opts = args(runtimeStage(), "ENV").stream().filter(e -> e.contains("JAVA_OPTS=")).findFirst().orElseThrow();
    // The warm-up settings the README's benchmark measured; C1-only would cost twice the CPU for good.
    for (String flag : List.of("-XX:Tier4InvocationThreshold=1500", "-XX:Tier4MinInvocationThreshold=300",
        "-XX:Tier4CompileThreshold=3000", "-XX:+ExitOnOutOfMemoryError", "-XX:MaxRAMPercentage=75")) {
      assertTrue(opts.contains(flag), "JAVA_OPTS lacks " + flag + ": " + opts);
    }
    assertFalse(opts.contains("TieredStopAtLevel"), opts);
    assertTrue(args(runtimeStage(), "ENTRYPOINT").get(0).contains("$JAVA_OPTS"), "the entrypoint passes JAVA_OPTS");
  }
}
