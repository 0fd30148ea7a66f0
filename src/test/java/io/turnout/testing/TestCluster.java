package io.turnout.testing;

import com.hazelcast.config.Config;
import io.turnout.node.Node;
import io.turnout.node.NodeConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Real members of one Hazelcast cluster in this JVM (its own cluster name, loopback only), each
 * a full node on its own clustered Vert.x, its own config directory, route map file and audit
 * log, in front of a shared {@link Sim}. Members watch their route map file.
 */
public final class TestCluster implements AutoCloseable {

  /** The admin token of operator {@code alice} on every member. */
  public static final String TOKEN = "cluster-admin-token";

  /**
   * One member: its Vert.x, node, HTTP client (client listener), config directory and HTTP client
   * of its admin listener.
   */
  public record Member(Vertx vertx, Node node, TestHttp http, Path dir, TestHttp adminHttp) {

    /** An authenticated admin call: GET without a body, POST with one. */
    public TestHttp.Response admin(String path, JsonObject body) {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer " + TOKEN);
      return body == null ? adminHttp.send(HttpMethod.GET, path, null, headers)
          : adminHttp.send(HttpMethod.POST, path, body.toBuffer(), headers.add("content-type", "application/json"));
    }

    /** The route version that serves a plain request for {@code alias} on this member. */
    public String servedBy(String alias) {
      return http.chat(ChatRequests.plain(alias)).header("x-turnout-route-version");
    }
  }

  private final String name = "turnout-test-" + UUID.randomUUID();
  private final Sim sim;
  private final String extraYaml;
  private final String routes;
  private final List<Vertx> vertxes = new ArrayList<>();
  private final List<Member> members = new ArrayList<>();

  /**
   * @param extraYaml sections appended to every member's turnout.yaml (e.g. {@code gates})
   * @param routes every member's initial route map file
   */
  public TestCluster(Sim sim, String extraYaml, String routes) {
    this.sim = sim;
    this.extraYaml = extraYaml;
    this.routes = routes;
  }

  private int expectedMembers;

  /**
   * Members started from now on expect {@code n} members ({@code cluster.expected_members}): route
   * changes need a majority of them.
   */
  public TestCluster expecting(int n) {
    this.expectedMembers = n;
    return this;
  }

  /** A clustered Vert.x in this cluster, closed with it (a JVM service, or a member's own). */
  public Vertx clusteredVertx() {
    Config hazelcast = LoopbackHazelcast.config(name);
    if (expectedMembers > 0) {
      io.turnout.controlplane.cluster.HazelcastSettings.apply(new io.turnout.controlplane.cluster.ClusterOptions(true, "", name, null, null, 0,
          0, List.of(), expectedMembers), hazelcast);
    }
    Vertx vertx = Vertx.builder().withClusterManager(new HazelcastClusterManager(hazelcast)).buildClustered().await();
    vertxes.add(vertx);
    return vertx;
  }

  /** Starts a member in a fresh directory. */
  public Member join() {
    try {
      return join(Files.createTempDirectory("turnout-member"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Starts a member on {@code dir}, writing its config and route map unless they are there. */
  public Member join(Path dir) {
    try {
      Vertx vertx = clusteredVertx();
      if (!Files.exists(dir.resolve(NodeConfig.FILE))) {
        String base = TestNode.config(sim, 2_000, 2_000, 5_000);
        if (extraYaml.contains("drills:")) {
          // The test configures drills itself.
          base = TestNode.replace(base, TestNode.DRILLS, "");
        }
        String yaml = base
            .replace("routing:\n  watch: false\n", "routing:\n  watch: true\n  scan_period_ms: 100\n")
            + "admin:\n  tokens:\n    alice: \"${ALICE_TOKEN}\"\n"
            + "audit:\n  file: audit.jsonl\n"
            + (expectedMembers > 0 ? "cluster:\n  expected_members: " + expectedMembers + "\n" : "")
            + extraYaml;
        Files.writeString(dir.resolve(NodeConfig.FILE), yaml);
        Files.writeString(dir.resolve("routes.yaml"), routes);
      }
      Map<String, String> env = new HashMap<>(TestNode.ENV);
      env.put("ALICE_TOKEN", TOKEN);
      // One stable name per member directory: a member restarted on its directory is the same member.
      env.put(io.turnout.node.NodeName.ENV, dir.getFileName().toString());
      Node node = Node.start(vertx, NodeConfig.loadForStart(dir, env), Clock.systemUTC()).await();
      Member member = new Member(vertx, node, new TestHttp(vertx, node.httpPort()), dir,
          new TestHttp(vertx, node.adminPort()));
      members.add(member);
      return member;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The members running now, in join order. */
  public List<Member> members() {
    return List.copyOf(members);
  }

  /** Stops one member and closes its Vert.x: it leaves the cluster as a stopped process would. */
  public void leave(Member member) {
    member.http().close().await();
    member.node().stop().await();
    members.remove(member);
    member.vertx().close().await();
    vertxes.remove(member.vertx());
  }

  /** Stops every member and closes every Vert.x of this cluster. */
  @Override
  public void close() {
    for (Member m : List.copyOf(members)) {
      m.http().close().await();
      m.adminHttp().close().await();
      m.node().stop().await();
      members.remove(m);
    }
    for (Vertx v : List.copyOf(vertxes)) {
      v.close().await();
      vertxes.remove(v);
    }
  }
}
