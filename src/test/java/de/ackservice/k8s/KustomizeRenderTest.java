package de.ackservice.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code kubectl apply -k k8s/} sends to the cluster: rendered by kustomize, then checked as a whole. */
class KustomizeRenderTest {

  private static List<HasMetadata> rendered;

  @BeforeAll
  static void render() throws Exception {
    rendered = StrictManifests.parse(Kustomize.render(ProjectFiles.K8S), "kubectl kustomize k8s/");
  }

  @Test
  void rendersOneObjectOfEachKindAndEachParsesStrictly() {
    Map<String, Long> kinds = rendered.stream().collect(Collectors.groupingBy(HasMetadata::getKind,
      Collectors.counting()));

    assertEquals(Map.of("ConfigMap", 1L, "Service", 1L, "Deployment", 1L, "PodDisruptionBudget", 1L,
      "HorizontalPodAutoscaler", 1L, "NetworkPolicy", 1L), kinds);
  }

  @Test
  void theDeploymentMountsTheGeneratedConfigMapHoldingK8sConfigJson() {
    ConfigMap configMap = one(ConfigMap.class);
    Volume volume = K8sManifests.pod(one(Deployment.class)).getVolumes().stream()
      .filter(v -> v.getConfigMap() != null)
      .findFirst()
      .orElseThrow();

    assertAll(
      () -> assertEquals(configMap.getMetadata().getName(), volume.getConfigMap().getName()),
      () -> assertTrue(configMap.getMetadata().getName().matches("ack-config-[a-z0-9]{10}"),
        "the name carries the content hash, so a config change rolls the pods: " + configMap.getMetadata().getName()),
      () -> assertEquals(Map.of(K8sManifests.CONFIG_FILE, ProjectFiles.text(ProjectFiles.K8S.resolve(K8sManifests.CONFIG_FILE))),
        configMap.getData()));
  }

  @Test
  void everyObjectAndThePodsCarryTheCommonLabels() {
    Map<String, String> common = commonLabels();
    assertFalse(common.isEmpty());

    for (HasMetadata object : rendered) {
      assertTrue(object.getMetadata().getLabels().entrySet().containsAll(common.entrySet()),
        object.getKind() + " lacks the common labels " + common);
    }
    assertTrue(podLabels().entrySet().containsAll(common.entrySet()), "the pods lack the common labels");
  }

  @Test
  void everySelectorSelectsTheDeploymentsPods() {
    Map<String, String> pods = podLabels();
    Deployment deployment = one(Deployment.class);

    Selectors.assertSelects(deployment.getSpec().getSelector(), pods, "Deployment");
    Selectors.assertSelects(one(Service.class).getSpec().getSelector(), pods, "Service");
    Selectors.assertSelects(one(PodDisruptionBudget.class).getSpec().getSelector(), pods, "PodDisruptionBudget");
    Selectors.assertSelects(one(NetworkPolicy.class).getSpec().getPodSelector(), pods, "NetworkPolicy");
    K8sManifests.pod(deployment).getTopologySpreadConstraints()
      .forEach(c -> Selectors.assertSelects(c.getLabelSelector(), pods, "topology spread " + c.getTopologyKey()));
    assertEquals(deployment.getMetadata().getName(),
      one(HorizontalPodAutoscaler.class).getSpec().getScaleTargetRef().getName());
  }

  @Test
  void theContainerRunsTheImageNamedInTheKustomization() {
    JsonNode image = K8sManifests.kustomization().path("images").get(0);
    String expected = image.path("newName").asText() + ":" + image.path("newTag").asText();

    assertEquals(expected, K8sManifests.container(one(Deployment.class)).getImage());
    assertFalse(image.path("newTag").asText().isEmpty());
    assertNotEquals("latest", image.path("newTag").asText(), "a moving tag makes rollouts unreproducible");
  }

  @Test
  void everyObjectLandsInTheKustomizationsNamespace() {
    String namespace = K8sManifests.kustomization().path("namespace").asText(null);

    for (HasMetadata object : rendered) {
      assertEquals(namespace, object.getMetadata().getNamespace(), object.getKind());
    }
  }

  /** The README's ways to choose a namespace (-n, kustomization's namespace:, an overlay) need manifests without one. */
  @Test
  void noManifestNamesANamespaceOfItsOwn() {
    for (java.nio.file.Path file : K8sManifests.manifestFiles()) {
      for (HasMetadata object : StrictManifests.parse(ProjectFiles.text(file), file.getFileName().toString())) {
        assertEquals(null, object.getMetadata().getNamespace(), file.getFileName() + " " + object.getKind());
      }
    }
  }

  private static Map<String, String> commonLabels() {
    Map<String, String> labels = new HashMap<>();
    K8sManifests.kustomization().path("labels")
      .forEach(set -> set.path("pairs").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText())));
    return labels;
  }

  private static Map<String, String> podLabels() {
    return one(Deployment.class).getSpec().getTemplate().getMetadata().getLabels();
  }

  private static <T extends HasMetadata> T one(Class<T> type) {
    List<T> found = rendered.stream().filter(type::isInstance).map(type::cast).toList();
    assertEquals(1, found.size(), "rendered " + type.getSimpleName() + " objects");
    return found.get(0);
  }
}
