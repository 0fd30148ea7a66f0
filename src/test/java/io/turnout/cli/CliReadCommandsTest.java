package io.turnout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.cli.CliHarness.Result;
import io.turnout.testing.Eventually;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The read-only commands against a real node: tables by default, the node's JSON with -o json; where the token comes from. */
class CliReadCommandsTest {

  private static CliHarness h;

  @BeforeAll
  static void start() {
    h = CliHarness.start("gates:\n  tick_ms: 100\n  bucket_ms: 500\n", CliHarness.ROUTES);
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  @Test
  void status_joinsPointersWithModesSharesVerdictsAndMembers() {
    // gates judge fallback traffic: the canary has verdicts, a primary-only version none
    assertEquals(Exit.OK, h.run("activate", "*/chat", "chat-canary", "--reason", "status test").code());
    Eventually.await(h.vertx, "the canary's first verdicts", 10_000, () -> h.admin("/admin/gates")
        .getJsonArray("verdicts").stream().anyMatch(v -> "chat-canary".equals(((JsonObject) v).getString("route_version"))));
    try {
      Result r = h.run("status");
      assertEquals(Exit.OK, r.code(), r.toString());
      List<String> lines = r.out().lines().toList();
      assertTrue(lines.get(0).matches("revision (\\d+) on [\\w.-]+ \\(production\\), members: all 1 at r\\1"), r.toString());
      assertTrue(lines.get(1).matches("SCOPE +VERSION +MODE +CANARY +CONTROL +GATES +MEMBERS"), lines.get(1));
      String star = row(lines, "production/*/chat ");
      assertTrue(star.matches("production/\\*/chat +chat-canary +canary +50% +- +inconclusive \\d+, pass \\d+ +all 1 at r\\d+"),
          star);
      String internal = row(lines, "production/internal/chat ");
      assertTrue(internal.matches("production/internal/chat +chat-internal-v0 +primary_only +- +- +no verdicts +all 1 at r\\d+"),
          internal);

      JsonObject json = h.run("status", "-o", "json").json();
      assertEquals(2, json.getJsonArray("scopes").size());
      JsonObject first = json.getJsonArray("scopes").getJsonObject(0);
      assertEquals("production/*/chat", first.getString("scope"));
      assertEquals("canary", first.getString("mode"));
      assertEquals(0.5, first.getDouble("canary_share"));
    } finally {
      assertEquals(Exit.OK, h.run("rollback", "*/chat", "--reason", "status test done").code());
    }
  }

  @Test
  void routes_listVersionsWithWhereActive_andDiffAVersionAgainstItsRollbackVersion() {
    Result r = h.run("routes");
    assertEquals(Exit.OK, r.code(), r.toString());
    String canary = row(r.out().lines().toList(), "chat-canary ");
    assertTrue(canary.matches("chat-canary +chat +\\* +production +canary +primary +cometapi +50% +chat-v1 +- +-"), canary);
    assertTrue(row(r.out().lines().toList(), "chat-v1 ").endsWith("production/*/chat"), r.out());

    Result diff = h.run("routes", "diff", "chat-canary");
    assertEquals(Exit.OK, diff.code(), diff.toString());
    assertTrue(diff.out().startsWith("chat-canary against its rollback version chat-v1: "), diff.out());
    List<String> lines = diff.out().lines().toList();
    assertTrue(row(lines, "mode ").matches("mode +canary +primary_only"), diff.out());
    assertTrue(row(lines, "fallback_provider ").matches("fallback_provider +cometapi +-"), diff.out());
    assertTrue(row(lines, "canary_share ").matches("canary_share +0.5 +-"), diff.out());
    assertTrue(lines.stream().noneMatch(l -> l.startsWith("primary_provider ")), "equal fields are not listed");

    JsonObject json = h.run("routes", "--diff", "chat-canary", "-o", "json").json();
    assertEquals("chat-v1", json.getString("rollback_route_version"));
    assertTrue(json.getJsonArray("differences").stream().anyMatch(d -> "mode".equals(((JsonObject) d).getString("field"))));
    assertEquals(Exit.REFUSED, h.run("routes", "diff", "chat-v9").code());
  }

  @Test
  void audit_members_gates_asTablesAndJson() {
    h.run("activate", "internal/chat", "chat-internal-v1", "--reason", "audit me");
    Result audit = h.run("audit", "--limit", "5");
    assertEquals(Exit.OK, audit.code(), audit.toString());
    assertTrue(audit.out().lines().anyMatch(l -> l.matches(".*activate +alice +production/internal/chat +chat-internal-v0 "
        + "+chat-internal-v1 +audit me")), audit.out());
    assertTrue(h.run("audit", "-o", "json").json().getJsonArray("entries").size() >= 1);
    h.run("rollback", "internal/chat", "--reason", "audit me back");

    Result members = h.run("members");
    assertEquals(Exit.OK, members.code(), members.toString());
    String node = h.admin("/admin/routes").getString("node");
    assertTrue(members.out().contains(node + " (this node)"), members.out());
    assertTrue(members.out().contains("current"), members.out());
    assertTrue(h.run("members", "-o", "json").json().getJsonObject("members").containsKey(node));

    Result gates = h.run("gates");
    assertEquals(Exit.OK, gates.code(), gates.toString());
    assertTrue(gates.out().lines().skip(1).findFirst().orElse("").matches("SCOPE +VERSION +GATE +STATE +VALUE +THRESHOLD "
        + "+SAMPLES +ACTION"), gates.out());
    JsonObject json = h.run("gates", "-o", "json").json();
    assertTrue(json.containsKey("rules") && json.containsKey("verdicts"), json.encode());
  }

  @Test
  void theToken_comesFromTheEnvironment_orAFile_andItsAbsenceIsAClearUsageError() throws Exception {
    Path file = Files.createTempFile("admin", ".token");
    Files.writeString(file, CliHarness.TOKEN + "\n");
    Map<String, String> noToken = new HashMap<>();
    noToken.put(Target.ENV_URL, h.adminUrl());

    Result missing = CliHarness.run(noToken, "", "status");
    assertEquals(Exit.USAGE, missing.code(), missing.toString());
    assertTrue(missing.err().contains("no admin token: set TURNOUT_TOKEN"), missing.err());
    assertEquals("", missing.out());

    assertEquals(Exit.OK, CliHarness.run(noToken, "", "status", "--token-file", file.toString()).code());
    Map<String, String> fromFileEnv = new HashMap<>(noToken);
    fromFileEnv.put(Target.ENV_TOKEN_FILE, file.toString());
    assertEquals(Exit.OK, CliHarness.run(fromFileEnv, "", "status").code());
    Map<String, String> wrong = new HashMap<>(noToken);
    wrong.put(Target.ENV_TOKEN, "not-the-token");
    Result refused = CliHarness.run(wrong, "", "status");
    assertEquals(Exit.REFUSED, refused.code(), refused.toString());
    assertTrue(refused.err().contains("401 invalid_admin_token"), refused.err());
    assertFalse(refused.err().contains("not-the-token"), "the token is never printed");
    Result noFile = CliHarness.run(noToken, "", "status", "--token-file", file + ".missing");
    assertEquals(Exit.USAGE, noFile.code(), noFile.toString());
  }

  @Test
  void aNodeThatCannotBeReached_isAFailure() {
    Map<String, String> env = new HashMap<>(h.env);
    env.put(Target.ENV_URL, "http://127.0.0.1:1");
    Result r = CliHarness.run(env, "", "status");
    assertEquals(Exit.FAILED, r.code(), r.toString());
    assertTrue(r.err().contains("cannot reach the node at http://127.0.0.1:1"), r.err());
    Map<String, String> unreachable = env;
    assertEquals(Exit.OK, CliHarness.run(unreachable, "", "status", "--url", h.adminUrl()).code(), "--url wins over TURNOUT_URL");
    Result before = CliHarness.run(unreachable, "", "--url", h.adminUrl(), "-o", "json", "drill", "list");
    assertEquals(Exit.OK, before.code(), "the target options may stand before the command: " + before);
    assertTrue(before.json().containsKey("drills"), before.out());
    assertEquals(Exit.USAGE, h.run("status", "--bogus").code());
  }

  private static String row(List<String> lines, String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElse("(no row " + prefix + ")");
  }
}
