package io.turnout.dataplane.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.turnout.testing.Eventually;
import io.turnout.testing.Exposition;
import io.turnout.testing.Sim;
import io.turnout.testing.TestCluster;
import io.turnout.testing.TestHttp;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * In a cluster each member exposes the revision it applied, and a change is counted once: by the
 * member that made it, not again by the members that adopt it.
 */
@ExtendWith(VertxExtension.class)
class RouteStateClusterTest {

  private static final String SCOPE = "production/*/chat-primary";

  @Test
  void aFlipOnOneMember_isCountedThere_andEveryMemberShowsItsOwnRevision(Vertx vertx) {
    Sim sim = Sim.start(vertx);
    try (TestCluster cluster = new TestCluster(sim, "", RouteStateMetricsTestMap.MAP)) {
      // GIVEN two members serving primary-v1
      TestCluster.Member a = cluster.join();
      TestCluster.Member b = cluster.join();

      // WHEN an operator flips the scope on A
      TestHttp.Response flipped = a.admin("/admin/scopes/activate", new JsonObject().put("tenant_or_cohort", "*")
          .put("model_alias", "chat-primary").put("route_version", "primary-v2").put("reason", "cutover"));
      assertEquals(200, flipped.status(), flipped.text());
      long revision = a.node().routes().revision();

      // THEN both members show the new version and, each under its own id, the same revision
      for (TestCluster.Member m : java.util.List.of(a, b)) {
        Eventually.await(vertx, "the member shows primary-v2", 10_000, () -> scrape(m)
            .sum("turnout_route_active_info", "scope", SCOPE, "version", "primary-v2") == 1);
        Eventually.await(vertx, "the member shows the revision", 10_000, () -> scrape(m)
            .sum("turnout_route_revision", "member", m.node().id()) == revision);
      }
      // AND the change is counted by A alone: B adopted it
      assertEquals(1, scrape(a).value("turnout_route_changes_total", "source", "operator"));
      Exposition atB = scrape(b);
      for (String source : new String[] {"operator", "file", "gate", "expiry", "drill"}) {
        assertEquals(0, atB.value("turnout_route_changes_total", "source", source), source);
      }
    }
  }

  private static Exposition scrape(TestCluster.Member member) {
    return Exposition.parse(member.http().send(HttpMethod.GET, "/metrics", null).text());
  }
}
