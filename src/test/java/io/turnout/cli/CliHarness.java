package io.turnout.cli;

import io.turnout.testing.Sim;
import io.turnout.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real node on loopback (in front of the simulator, with admin operator {@code alice}) and the
 * CLI run in-process against it, with captured stdout/stderr, scripted stdin and its own
 * environment. The node's admin base URL is {@link #adminUrl()}: the one place to change when
 * the admin API moves to its own listener.
 */
final class CliHarness implements AutoCloseable {

  static final String TOKEN = "cli-test-admin-token";

  /** What one CLI invocation did. */
  record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }

    JsonObject json() {
      return new JsonObject(out);
    }
  }

  /**
   * One alias {@code chat} with a baseline, a 50% CometAPI canary that rolls back to it, and an
   * internal cohort with its own baseline and a fallback-only version (DrillClusterEndToEndTest's map).
   */
  static final String ROUTES = io.turnout.testing.DrillRoutes.MAP;

  final Vertx vertx;
  final Sim sim;
  final TestNode node;
  final Map<String, String> env = new HashMap<>();

  private CliHarness(Vertx vertx, Sim sim, TestNode node) {
    this.vertx = vertx;
    this.sim = sim;
    this.node = node;
    env.put(Target.ENV_URL, adminUrl());
    env.put(Target.ENV_TOKEN, TOKEN);
  }

  /** A node on {@link TestNode#DEFAULT_ROUTES}. */
  static CliHarness start() {
    return start("", TestNode.DEFAULT_ROUTES);
  }

  /** A node with {@code extraYaml} appended to its config and {@code routes} as its route map. */
  static CliHarness start(String extraYaml, String routes) {
    Vertx vertx = Vertx.vertx();
    Sim sim = Sim.start(vertx);
    // Real providers take longer than the timeout probe's 5 ms; so must the simulated ones.
    sim.script("primary", new JsonObject().put("latency_ms", 30));
    sim.script("cometapi", new JsonObject().put("latency_ms", 30));
    String yaml = TestNode.config(sim, 2_000, 2_000, 5_000);
    if (extraYaml.contains("drills:")) {
      yaml = TestNode.replace(yaml, TestNode.DRILLS, "");
    }
    yaml += "admin:\n  tokens:\n    alice: \"${ALICE_TOKEN}\"\n" + extraYaml;
    Map<String, String> secrets = new HashMap<>(TestNode.ENV);
    secrets.put("ALICE_TOKEN", TOKEN);
    return new CliHarness(vertx, sim, TestNode.start(vertx, yaml, routes, secrets));
  }

  /** The node's admin API base URL. */
  String adminUrl() {
    return "http://127.0.0.1:" + node.node().adminPort();
  }

  /** Runs the CLI with no input. */
  Result run(String... args) {
    return runWithInput("", args);
  }

  /** Runs the CLI with {@code stdin} as the terminal's input. */
  Result runWithInput(String stdin, String... args) {
    return run(env, stdin, args);
  }

  /** Runs the CLI with an environment of its own. */
  static Result run(Map<String, String> env, String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Cli.execute(args, new CliIo(new BufferedReader(new StringReader(stdin)), new PrintWriter(out, true),
        new PrintWriter(err, true), Map.copyOf(env)));
    return new Result(code, out.toString(), err.toString());
  }

  /** A GET straight to the node's admin API at {@link #adminUrl()} (to check what the CLI did), as {@code alice}. */
  JsonObject admin(String path) {
    return new AdminClient(adminUrl(), TOKEN).get(path);
  }

  /** Arguments with {@code extra} appended. */
  static String[] args(String[] args, String... extra) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(Arrays.asList(extra));
    return all.toArray(String[]::new);
  }

  @Override
  public void close() {
    node.stop();
    vertx.close().await();
  }
}
