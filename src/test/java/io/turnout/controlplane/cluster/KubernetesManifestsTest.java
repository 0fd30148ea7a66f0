package io.turnout.controlplane.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryXmlConfig;
import io.turnout.dataplane.http.HttpOptions;
import io.turnout.node.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes manifests under {@code cluster/k8s/} agree with the node they deploy: the
 * ports the config listens on are the ones the pods expose and the Services route, the probes
 * ask the node's own health paths, the mounts are where the image and the config look, the
 * ConfigMap's config and route map pass the node's own checks, its Hazelcast XML discovers
 * members through the headless Service, and the disruption budget keeps a quorum.
 */
class KubernetesManifestsTest {

  private static final Path DIR = Path.of("cluster/k8s");
  private static List<Map<String, Object>> docs;
  private static Map<String, Object> configMapData;

  @BeforeAll
  static void read() throws IOException {
    docs = new ArrayList<>();
    for (String file : List.of("turnout.yaml", "configmap.yaml")) {
      for (Object doc : new Yaml().loadAll(Files.readString(DIR.resolve(file)))) {
        if (doc != null) {
          docs.add(map(doc));
        }
      }
    }
    configMapData = map(find("ConfigMap", "turnout-conf").get("data"));
  }

  @Test
  void thePodsExposeThePortsTheConfigListensOn_andTheServicesRouteThem() {
    Map<String, Object> container = container();
    Map<String, Integer> ports = list(container.get("ports")).stream().map(KubernetesManifestsTest::map)
        .collect(Collectors.toMap(p -> (String) p.get("name"), p -> (Integer) p.get("containerPort")));
    NodeConfig config = shippedConfig();
    assertEquals(config.http().port(), ports.get("http"));
    assertEquals(HttpOptions.DEFAULT_PORT, ports.get("http"));
    assertEquals(config.cluster().port(), ports.get("hazelcast"));
    assertEquals(config.cluster().eventBusPort(), ports.get("event-bus"));
    assertEquals(ClusterOptions.DEFAULT_EVENT_BUS_PORT, ports.get("event-bus"));
    assertEquals(config.admin().port(), ports.get("admin"));
    assertEquals("0.0.0.0", config.admin().host(), "the admin Service reaches the admin listener");

    Map<String, Object> headless = map(find("Service", "turnout-hazelcast").get("spec"));
    assertEquals("None", headless.get("clusterIP"));
    assertEquals(Set.of("hazelcast", "event-bus"), targetPorts(headless));
    assertEquals(Set.of("http"), targetPorts(map(find("Service", "turnout").get("spec"))));
    assertEquals(Set.of("admin"), targetPorts(map(find("Service", "turnout-admin").get("spec"))));
    Map<String, Object> labels = map(map(map(statefulSet().get("template")).get("metadata")).get("labels"));
    for (String service : List.of("turnout-hazelcast", "turnout", "turnout-admin")) {
      assertEquals(labels, map(map(find("Service", service).get("spec")).get("selector")), service);
    }
    assertEquals("turnout-hazelcast", statefulSet().get("serviceName"));
  }

  @Test
  void theProbesAskTheNodesHealthPaths_onTheClientListener() {
    Map<String, Object> container = container();
    Map<String, Object> ready = map(map(container.get("readinessProbe")).get("httpGet"));
    Map<String, Object> live = map(map(container.get("livenessProbe")).get("httpGet"));
    assertEquals(io.turnout.node.Readiness.class.getSimpleName(), "Readiness");
    assertEquals("/health/ready", ready.get("path"));
    assertEquals("/health/live", live.get("path"));
    assertEquals("http", ready.get("port"));
    assertEquals("http", live.get("port"));
  }

  @Test
  void theMountsAreWhereTheImageAndTheConfigLook() throws IOException {
    Map<String, String> mounts = list(container().get("volumeMounts")).stream().map(KubernetesManifestsTest::map)
        .collect(Collectors.toMap(m -> (String) m.get("name"), m -> (String) m.get("mountPath")));
    String dockerfile = Files.readString(Path.of("Dockerfile"));
    assertTrue(dockerfile.contains("TURNOUT_CONF_DIR=" + mounts.get("conf")), "the image reads conf from "
        + mounts.get("conf"));
    Path conf = Path.of(mounts.get("conf"));
    NodeConfig config = shippedConfig();
    // The audit log, probe evidence and drill reports land on the member's own volume.
    Path data = Path.of(mounts.get("data"));
    assertEquals(data.resolve("audit.jsonl"), conf.resolve(NodeConfig.DEFAULT_AUDIT_FILE).normalize());
    assertEquals(Path.of(mounts.get("cluster")).resolve("cluster.xml"),
        conf.resolve(config.cluster().config()).normalize());
    assertEquals(Path.of(mounts.get("secrets")), conf.resolve("../secrets").normalize());
    assertNotNull(map(statefulSet().get("template")).get("spec"));
    assertEquals("data", map(map(list(statefulSet().get("volumeClaimTemplates")).get(0)).get("metadata"))
        .get("name"));
  }

  @Test
  void theConfigMapsConfig_passesTheNodesOwnChecks_asAClusterWithAQuorum() {
    NodeConfig config = shippedConfig();
    assertTrue(config.cluster().enabled());
    assertEquals(3, config.cluster().expectedMembers());
    assertEquals(3, statefulSet().get("replicas"));
    // The budget keeps the quorum up through voluntary disruptions.
    assertEquals(config.cluster().quorum(), map(find("PodDisruptionBudget", "turnout").get("spec"))
        .get("minAvailable"));
    // The pod has time to drain, and to send its last notifications, before it is killed.
    int grace = (Integer) map(map(statefulSet().get("template")).get("spec")).get("terminationGracePeriodSeconds");
    assertTrue(grace * 1000L > config.http().drainDelayMs() + config.http().shutdownGraceMs()
        + io.turnout.controlplane.notify.NotifyVerticle.STOP_FLUSH_MS, "grace " + grace);
  }

  @Test
  void everyPodIsNamedAfterItself_soAMemberKeepsItsNameAcrossRestarts() {
    Map<String, Object> name = ((List<?>) container().get("env")).stream().map(KubernetesManifestsTest::map)
        .filter(e -> io.turnout.node.NodeName.ENV.equals(e.get("name"))).findFirst().orElseThrow();
    assertEquals("metadata.name", map(map(name.get("valueFrom")).get("fieldRef")).get("fieldPath"));
  }

  @Test
  void theHazelcastXml_discoversMembersThroughTheHeadlessService() {
    String xml = (String) map(find("ConfigMap", "turnout-cluster").get("data")).get("cluster.xml");
    Config hazelcast = new InMemoryXmlConfig(xml);
    var kubernetes = hazelcast.getNetworkConfig().getJoin().getKubernetesConfig();
    assertTrue(kubernetes.isEnabled());
    assertEquals("turnout-hazelcast", kubernetes.getProperty("service-name"));
    assertEquals("turnout", kubernetes.getProperty("namespace"));
    assertEquals("5", hazelcast.getProperty("hazelcast.merge.first.run.delay.seconds"));
    assertTrue(!hazelcast.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled());
  }

  private static NodeConfig shippedConfig() {
    String turnout = (String) configMapData.get("turnout.yaml");
    String routes = (String) configMapData.get("routes.yaml");
    Map<String, String> env = Map.of("OPENAI_API_KEY", "k8s-test-openai", "COMETAPI_API_KEY", "k8s-test-comet",
        "SUPPORT_APP_CLIENT_KEY", "k8s-test-client");
    Path conf = Path.of("/opt/turnout/conf");
    return NodeConfig.parse("turnout.yaml", turnout.replace("file:../secrets/admin.token", "\"${ADMIN}\""), conf,
        new java.util.HashMap<>(Map.of("ADMIN", "k8s-test-admin-token-0123456789")) {{ putAll(env); }},
        name -> routes);
  }

  private static Map<String, Object> statefulSet() {
    return map(find("StatefulSet", "turnout").get("spec"));
  }

  private static Map<String, Object> container() {
    return map(list(map(map(statefulSet().get("template")).get("spec")).get("containers")).get(0));
  }

  private static Set<String> targetPorts(Map<String, Object> spec) {
    return list(spec.get("ports")).stream().map(p -> (String) map(p).get("targetPort")).collect(Collectors.toSet());
  }

  private static Map<String, Object> find(String kind, String name) {
    return docs.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(map(d.get("metadata")).get("name")))
        .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + DIR));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return (List<Object>) o;
  }
}
