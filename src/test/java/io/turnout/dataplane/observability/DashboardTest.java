package io.turnout.dataplane.observability;

import static io.turnout.testing.Faults.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.Eventually;
import io.turnout.testing.Exposition;
import io.turnout.testing.Sim;
import io.turnout.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shipped Grafana dashboard is importable and cannot drift from the code: every metric and
 * label its queries use is on a real node's {@code /metrics}, and every meter the node exports is
 * on the dashboard.
 */
@ExtendWith(VertxExtension.class)
class DashboardTest {

  static final Path DASHBOARD = Path.of("conf/grafana/turnout-dashboard.json");

  static final Path ALERTS = Path.of("conf/prometheus/turnout-alerts.yml");

  private static final Pattern METRIC = Pattern.compile("\\b(?:turnout|jvm|process|system)_[a-z0-9_]+\\b");
  /** Meters the alert rules reference that no node of this test exports (none today). */
  private static final Set<String> NOT_YET_MERGED = Set.of();
  private static final Pattern BY = Pattern.compile("\\b(?:by|ignoring|on)\\s*\\(([^)]*)\\)");
  private static final Pattern MATCHER = Pattern.compile("([a-z_][a-z0-9_]*)\\s*(?:=~|!~|!=|=)\\s*\"");
  /** Labels Prometheus adds when it scrapes, so they are never on the exposition itself. */
  private static final Set<String> TARGET_LABELS = Set.of("instance", "job");

  @Test
  void dashboardIsAGrafanaImportWithAPrometheusInput() throws IOException {
    JsonObject dashboard = dashboard();

    assertEquals(39, dashboard.getInteger("schemaVersion"));
    assertEquals("turnout-node", dashboard.getString("uid"));
    assertFalse(dashboard.getString("title").isBlank());
    JsonObject input = dashboard.getJsonArray("__inputs").getJsonObject(0);
    assertEquals("DS_PROMETHEUS", input.getString("name"));
    assertEquals("datasource", input.getString("type"));
    assertEquals("prometheus", input.getString("pluginId"));
    Set<Integer> ids = new HashSet<>();
    for (JsonObject panel : panels(dashboard)) {
      assertTrue(ids.add(panel.getInteger("id")), "panel ids are unique: " + panel.getInteger("id"));
      assertNotNull(panel.getJsonObject("gridPos"), panel.getString("title"));
      if (!"row".equals(panel.getString("type"))) {
        assertEquals("${DS_PROMETHEUS}", panel.getJsonObject("datasource").getString("uid"), panel.getString("title"));
        assertFalse(panel.getJsonArray("targets").isEmpty(), panel.getString("title"));
      }
    }
    List<String> exprs = expressions(dashboard);
    for (String q : List.of("0.5", "0.95", "0.99")) {
      assertTrue(exprs.stream().anyMatch(e -> e.contains("histogram_quantile(" + q + ",")
          && e.contains("turnout_request_duration_seconds_bucket")), "p" + q + " latency per route");
    }
  }

  @Test
  void everyQueriedMetricAndLabelIsExported_andEveryExportedMeterIsShown(Vertx vertx) throws IOException {
    // GIVEN a node that served a completion, a stream and a fallback after a retry
    Sim sim = Sim.start(vertx);
    // (with a webhook, so the deliveries counter the alert rules read exists; nothing is sent to it)
    TestNode node = TestNode.start(vertx, TestNode.config(sim, 1_000, 1_000, 3_000)
        + "notifications:\n  webhooks:\n    oncall: {url: \"http://127.0.0.1:9/hook\", events: [drill_complete]}\n",
        ObservedRoutes.MAP);
    Exposition metrics;
    try {
      JsonObject request = new JsonObject().put("messages", new JsonArray()
          .add(new JsonObject().put("role", "user").put("content", "Summarize the ticket.")));
      assertEquals(200, node.http().chat(request.copy().put("model", "chat-primary")).status());
      assertEquals(200, node.http().chat(request.copy().put("model", "chat-primary").put("stream", true)).status());
      sim.script("primary", new JsonObject().put("faults", new JsonArray().add(status(500).put("times", 2))));
      assertEquals(200, node.http().chat(request.copy().put("model", "chat-fb")).status());
      Eventually.await(vertx, "the requests are counted", 3_000, () -> scrape(node).sum("turnout_requests_total") == 3);
      Eventually.await(vertx, "the gates judged the fallback route", 5_000,
          () -> scrape(node).names().contains("turnout_gate_state"));
      metrics = scrape(node);
    } finally {
      node.stop();
    }

    // WHEN the dashboard's queries (panels, variables, annotations) and the alert rules are read
    List<String> exprs = new ArrayList<>(expressions(dashboard()));
    List<String> alerts = alertExpressions();
    assertTrue(alerts.size() >= 10, "the alert rules are read: " + alerts);
    exprs.addAll(alerts);

    // THEN every metric they name is exported, with every label they group or filter by
    Set<String> queried = new TreeSet<>();
    for (String expr : exprs) {
      Set<String> names = metricNames(expr);
      queried.addAll(names);
      names.removeAll(NOT_YET_MERGED);
      if (names.isEmpty()) {
        continue;
      }
      for (String name : names) {
        assertTrue(metrics.names().contains(name), name + " is not on /metrics; queried by: " + expr);
      }
      for (String label : labels(expr)) {
        assertTrue(TARGET_LABELS.contains(label) || names.stream().anyMatch(name -> metrics.find(name).stream()
            .anyMatch(s -> s.labels().containsKey(label))), "no metric of '" + expr + "' has label " + label);
      }
    }
    // AND every meter the node exports is on the dashboard
    for (String name : metrics.names()) {
      if (name.startsWith("turnout_")) {
        String family = name.replaceAll("_(bucket|count|sum|max)$", "");
        assertTrue(queried.stream().anyMatch(q -> q.startsWith(family)), family + " is not on the dashboard");
      }
    }
  }

  static JsonObject dashboard() throws IOException {
    return new JsonObject(Files.readString(DASHBOARD, StandardCharsets.UTF_8));
  }

  private static List<JsonObject> panels(JsonObject dashboard) {
    List<JsonObject> all = new ArrayList<>();
    for (Object p : dashboard.getJsonArray("panels")) {
      JsonObject panel = (JsonObject) p;
      all.add(panel);
      // Collapsed rows keep their panels inside.
      panel.getJsonArray("panels", new JsonArray()).forEach(inner -> all.add((JsonObject) inner));
    }
    return all;
  }

  /** Every PromQL expression: panel targets and template variable queries. */
  private static List<String> expressions(JsonObject dashboard) {
    List<String> exprs = new ArrayList<>();
    for (JsonObject panel : panels(dashboard)) {
      panel.getJsonArray("targets", new JsonArray()).forEach(t -> exprs.add(((JsonObject) t).getString("expr")));
    }
    dashboard.getJsonObject("templating").getJsonArray("list").forEach(v -> exprs.add(((JsonObject) v)
        .getString("definition")));
    dashboard.getJsonObject("annotations").getJsonArray("list").forEach(a -> {
      String expr = ((JsonObject) a).getString("expr");
      if (expr != null) {
        exprs.add(expr);
      }
    });
    assertTrue(exprs.size() >= 10, "the dashboard has its queries: " + exprs);
    return exprs;
  }

  /** Every alert rule's {@code expr} in the shipped rules file (YAML read with the node's own parser). */
  static List<String> alertExpressions() throws IOException {
    JsonObject rules = io.turnout.config.YamlFiles.parse(ALERTS.toString(), Files.readString(ALERTS,
        StandardCharsets.UTF_8));
    List<String> exprs = new ArrayList<>();
    for (Object g : rules.getJsonArray("groups")) {
      for (Object r : ((JsonObject) g).getJsonArray("rules")) {
        exprs.add(((JsonObject) r).getString("expr"));
      }
    }
    return exprs;
  }

  private static Set<String> metricNames(String expr) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = METRIC.matcher(expr);
    while (m.find()) {
      names.add(m.group());
    }
    assertFalse(names.isEmpty(), "no turnout metric in: " + expr);
    return names;
  }

  private static Set<String> labels(String expr) {
    Set<String> labels = new LinkedHashSet<>();
    Matcher by = BY.matcher(expr);
    while (by.find()) {
      for (String label : by.group(1).split(",")) {
        if (!label.isBlank()) {
          labels.add(label.strip());
        }
      }
    }
    Matcher matcher = MATCHER.matcher(expr);
    while (matcher.find()) {
      labels.add(matcher.group(1));
    }
    // label_values(metric, label): the label a variable lists
    Matcher values = Pattern.compile("label_values\\((?:[^,]*),\\s*([a-z_][a-z0-9_]*)\\)").matcher(expr);
    while (values.find()) {
      labels.add(values.group(1));
    }
    return labels;
  }

  private static Exposition scrape(TestNode node) {
    return Exposition.parse(node.http().send(HttpMethod.GET, "/metrics", null).text());
  }
}
