package de.ackservice.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The optional monitoring component (k8s/monitoring/), enabled as the README says: rendered by kustomize from a copy
 * of k8s/, it adds exactly one PodMonitor (monitoring.coreos.com/v1) that selects the Deployment's pods and scrapes
 * the container port named "management" at the path the service serves its metrics on, and changes nothing else.
 * The fabric8 model has no type for the operator's kinds, so the PodMonitor's fields are checked against the
 * subset of its schema we use: an unknown or misspelled field fails, as for the other manifests.
 */
class MonitoringComponentTest {

  private static final ObjectMapper YAML = new YAMLMapper();
  private static final Map<String, Set<String>> POD_MONITOR_FIELDS = Map.of(
    "", Set.of("apiVersion", "kind", "metadata", "spec"),
    "metadata", Set.of("name", "namespace", "labels", "annotations"),
    "spec", Set.of("selector", "podMetricsEndpoints", "jobLabel", "namespaceSelector"),
    "endpoint", Set.of("port", "path", "interval", "scrapeTimeout", "scheme", "honorLabels"));

  private static List<JsonNode> podMonitors;
  private static List<HasMetadata> others;
  private static List<HasMetadata> without;

  @BeforeAll
  static void renderWithAndWithoutTheComponent() throws Exception {
    podMonitors = new ArrayList<>();
    StringBuilder rest = new StringBuilder();
    for (String document : Kustomize.renderWithComponent("monitoring").split("(?m)^---$")) {
      JsonNode node = YAML.readTree(document);
      if (node == null || node.isEmpty()) {
        continue;
      }
      if (node.path("kind").asText().equals("PodMonitor")) {
        podMonitors.add(node);
      } else {
        rest.append("---\n").append(document.strip()).append('\n');
      }
    }
    others = StrictManifests.parse(rest.toString(), "kubectl kustomize (k8s/ with components: [monitoring])");
    without = StrictManifests.parse(Kustomize.render(ProjectFiles.K8S), "kubectl kustomize k8s/");
  }

  @Test
  void addsOnePodMonitorOfTheOperatorsApi() {
    assertEquals(1, podMonitors.size(), "PodMonitor objects rendered");
    JsonNode monitor = podMonitors.get(0);

    assertAll(
      () -> assertEquals("monitoring.coreos.com/v1", monitor.path("apiVersion").asText()),
      () -> assertKnownFields(monitor, ""),
      () -> assertKnownFields(monitor.path("metadata"), "metadata"),
      () -> assertKnownFields(monitor.path("spec"), "spec"),
      () -> monitor.path("spec").path("podMetricsEndpoints").forEach(e -> assertKnownFields(e, "endpoint")));
  }

  @Test
  void scrapesTheManagementPortOfTheDeploymentsPods() {
    JsonNode spec = podMonitors.get(0).path("spec");
    Deployment deployment = others.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
      .findFirst().orElseThrow();
    Map<String, String> selector = new HashMap<>();
    spec.path("selector").path("matchLabels").fields()
      .forEachRemaining(e -> selector.put(e.getKey(), e.getValue().asText()));
    Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    JsonNode endpoint = spec.path("podMetricsEndpoints").get(0);
    List<String> portNames = K8sManifests.container(deployment).getPorts().stream().map(ContainerPort::getName)
      .toList();

    assertAll(
      () -> assertTrue(!selector.isEmpty() && podLabels.entrySet().containsAll(selector.entrySet()),
        "selector " + selector + " selects the pods " + podLabels),
      () -> assertEquals(1, spec.path("podMetricsEndpoints").size()),
      () -> assertEquals("management", endpoint.path("port").asText()),
      () -> assertTrue(portNames.contains(endpoint.path("port").asText()), "a port of the container: " + portNames),
      () -> assertEquals("/metrics", endpoint.path("path").asText()),
      () -> assertTrue(K8sManifests.serverConfig().management().metrics(), "the configuration serves /metrics"));
  }

  @Test
  void everythingElseIsTheBaseUnchanged() {
    assertEquals(without, others);
  }

  private static void assertKnownFields(JsonNode node, String where) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      assertTrue(POD_MONITOR_FIELDS.get(where).contains(name), "PodMonitor " + (where.isEmpty() ? "" : where + ".")
        + name + " is not a field we know of PodMonitor: " + POD_MONITOR_FIELDS.get(where));
    }
  }
}
