package io.turnout.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One member process of {@link MemberProcesses}: its listeners (client and admin), its directory,
 * audit log and output, and the signals a test sends it (SIGTERM, SIGKILL, SIGSTOP, SIGCONT).
 */
public final class MemberProcess {

  private final Vertx vertx;
  private final String name;
  private final Path dir;
  private final Path log;
  private final Process process;
  private final MemberNetwork net;
  private final TestHttp http;
  private final TestHttp admin;

  MemberProcess(Vertx vertx, String name, Path dir, Path log, Process process, MemberNetwork net) {
    this.vertx = vertx;
    this.name = name;
    this.dir = dir;
    this.log = log;
    this.process = process;
    this.net = net;
    this.http = new TestHttp(vertx, net.host(), net.httpPort());
    this.admin = new TestHttp(vertx, net.host(), net.adminPort());
  }

  public String name() {
    return name;
  }

  public MemberNetwork net() {
    return net;
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** Waits until {@code /health/ready} answers 200; fails at once if the process exits. */
  public void awaitReady(long timeoutMs) {
    Eventually.await(vertx, name + " ready", timeoutMs, () -> {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited (" + process.exitValue() + "):\n" + output());
      }
      try {
        return http.send(HttpMethod.GET, "/health/ready", null).status() == 200;
      } catch (Exception notYet) {
        return false;
      }
    });
  }

  /**
   * Waits until this member serves the cluster's shared route state ({@code joined} in
   * {@code /admin/routes}): after a (re)start it refuses changes until then.
   */
  public void awaitJoined(long timeoutMs) {
    Eventually.await(vertx, name + " joined the route state", timeoutMs,
        () -> routes().getBoolean("joined", false));
  }

  /** An operator's activation of {@code version} for the chat alias, on this member's admin API. */
  public TestHttp.Response flip(String version) {
    return admin.send(HttpMethod.POST, "/admin/scopes/activate", new JsonObject().put("tenant_or_cohort", "*")
        .put("model_alias", "chat").put("route_version", version).put("reason", "test").toBuffer(),
        MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer " + MemberProcesses.TOKEN)
            .add("content-type", "application/json"));
  }

  /** A GET on the admin API, with the operator's token. */
  public TestHttp.Response admin(String path) {
    return admin.send(HttpMethod.GET, path, null,
        MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer " + MemberProcesses.TOKEN));
  }

  /** {@code GET /admin/routes}: revision, pointers, members. */
  public JsonObject routes() {
    TestHttp.Response routes = admin("/admin/routes");
    if (routes.status() != 200) {
      throw new AssertionError(name + ": /admin/routes answered " + routes.status() + " " + routes.text());
    }
    return routes.json();
  }

  public long revision() {
    return routes().getLong("revision");
  }

  /** The version the chat alias's pointer names on this member. */
  public String pointer() {
    JsonArray pointers = routes().getJsonArray("pointers");
    return pointers.stream().map(JsonObject.class::cast).filter(p -> "chat".equals(p.getString("model_alias")))
        .map(p -> p.getString("route_version")).findFirst().orElse(null);
  }

  /** The readiness check's {@code cluster} detail: members, expected_members, quorum, has_quorum, merges. */
  public JsonObject clusterDetail() {
    JsonObject ready = http.send(HttpMethod.GET, "/health/ready", null).json();
    return ready.getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(c -> "cluster".equals(c.getString("id"))).findFirst()
        .map(c -> c.getJsonObject("data")).orElseThrow(() -> new AssertionError("no cluster detail: " + ready));
  }

  /** The version that answers a chat request on the client listener. */
  public String servedBy() {
    return http.chat(ChatRequests.plain("chat")).header("x-turnout-route-version");
  }

  /** Every line of this member's audit log ({@code conf/audit.jsonl}), oldest first. */
  public List<JsonObject> audit() {
    Path file = dir.resolve("conf/audit.jsonl");
    List<JsonObject> entries = new ArrayList<>();
    try {
      if (Files.exists(file)) {
        for (String line : Files.readAllLines(file)) {
          if (!line.isBlank()) {
            entries.add(new JsonObject(line));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return entries;
  }

  /** What the process printed (its log), for failure messages. */
  public String output() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(" + e + ")";
    }
  }

  /** SIGTERM, and waits for the graceful exit (SIGKILL after 30 s). */
  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Waits (at most {@code timeoutMs}) for the process to exit by itself; its exit code, or null if it still runs. */
  public Integer awaitExit(long timeoutMs) throws InterruptedException {
    return process.waitFor(timeoutMs, TimeUnit.MILLISECONDS) ? process.exitValue() : null;
  }

  /** SIGKILL: a crash. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGSTOP: the JVM freezes (no heartbeats, no answers) as on a host that stalls or a partition. */
  public void pause() {
    signal(process.pid(), "STOP");
  }

  /** SIGCONT. */
  public void resume() {
    signal(process.pid(), "CONT");
  }

  static void signal(long pid, String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
