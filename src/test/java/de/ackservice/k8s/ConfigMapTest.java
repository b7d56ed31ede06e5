package de.ackservice.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import de.ackservice.config.ConfigLoader;
import de.ackservice.config.ServerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pod reads the project's configuration: conf/config.json, through a generated ConfigMap mounted at -conf. */
class ConfigMapTest {

  private final Deployment deployment = K8sManifests.deployment();
  private final Container container = K8sManifests.container(deployment);

  /**
   * k8s/config.json has conf/config.json's keys in the same order, and differs from it only where README's table
   * "Where the pod's configuration differs" says so, with both values as they are in the files (kustomize cannot read
   * conf/ itself, hence the copy; the laptop keeps the seed's behaviour, the pod gets safe limits).
   */
  @Test
  void theConfigMapSourceHasTheSameKeysAndDiffersOnlyWhereReadmeSaysWhy() {
    JsonObject laptop = new JsonObject(ProjectFiles.text(ProjectFiles.CONF));
    JsonObject pod = new JsonObject(ProjectFiles.text(ProjectFiles.K8S.resolve(K8sManifests.CONFIG_FILE)));
    assertEquals(new ArrayList<>(laptop.fieldNames()), new ArrayList<>(pod.fieldNames()),
      "k8s/config.json must list conf/config.json's keys, in the same order");

    Map<String, List<String>> documented = documentedDifferences();
    Set<String> differing = new TreeSet<>();
    for (String key : laptop.fieldNames()) {
      if (!Objects.equals(laptop.getValue(key), pod.getValue(key))) {
        differing.add(key);
      }
    }
    assertEquals(differing, new TreeSet<>(documented.keySet()),
      "README's table of differences must name exactly the keys whose values differ");
    assertAll(differing.stream().map(key -> () -> assertEquals(
      List.of(String.valueOf(laptop.getValue(key)), String.valueOf(pod.getValue(key))), documented.get(key),
      key + ": README's laptop and pod values")));
  }

  /** The rows {@code | `key` | `laptop` | `pod` | why |} under README's heading of that name. */
  private static Map<String, List<String>> documentedDifferences() {
    List<String> lines = ProjectFiles.text(ProjectFiles.ROOT.resolve("README.md")).lines().toList();
    int heading = lines.indexOf(DIFFERENCES_HEADING);
    assertTrue(heading >= 0, "README has no heading '" + DIFFERENCES_HEADING + "'");
    Map<String, List<String>> rows = new LinkedHashMap<>();
    for (String line : lines.subList(heading + 1, lines.size())) {
      if (line.startsWith("#")) {
        break;
      }
      if (line.startsWith("| `")) {
        String[] cells = line.split("\\|");
        rows.put(unquote(cells[1]), List.of(unquote(cells[2]), unquote(cells[3])));
      }
    }
    return rows;
  }

  private static final String DIFFERENCES_HEADING = "### Where the pod's configuration differs";

  private static String unquote(String cell) {
    return cell.trim().replace("`", "");
  }

  @Test
  void theConfigurationIsValidForTheService() {
    Vertx vertx = Vertx.vertx();
    try {
      assertDoesNotThrow(() -> ServerConfig.from(ConfigLoader.load(vertx,
        ProjectFiles.K8S.resolve(K8sManifests.CONFIG_FILE).toString()).await()));
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void kustomizeGeneratesTheConfigMapTheDeploymentMounts() {
    Volume volume = configVolume();
    JsonNode generator = generator(volume.getConfigMap().getName());

    List<String> files = StreamSupport.stream(generator.path("files").spliterator(), false)
      .map(JsonNode::asText)
      .toList();
    assertEquals(List.of(K8sManifests.CONFIG_FILE), files,
      "the generator takes k8s/config.json under its own name as key");
    assertTrue(generator.path("literals").isMissingNode() && generator.path("envs").isMissingNode());
  }

  @Test
  void theConfigMapIsMountedReadOnlyWhereMinusConfPoints() {
    Volume volume = configVolume();
    VolumeMount mount = container.getVolumeMounts().stream()
      .filter(m -> m.getName().equals(volume.getName()))
      .findFirst()
      .orElseThrow(() -> new AssertionError("the config volume is not mounted"));
    String conf = K8sManifests.argumentAfter(container.getCommand(), "-conf");

    assertAll(
      () -> assertEquals(Boolean.TRUE, mount.getReadOnly()),
      () -> assertEquals(mount.getMountPath() + "/" + K8sManifests.CONFIG_FILE, conf),
      () -> assertNull(mount.getSubPath(), "a subPath mount would not see ConfigMap updates"));
  }

  private Volume configVolume() {
    List<Volume> withConfigMap = K8sManifests.pod(deployment).getVolumes().stream()
      .filter(v -> v.getConfigMap() != null)
      .toList();
    assertEquals(1, withConfigMap.size(), "exactly one ConfigMap volume");
    return withConfigMap.get(0);
  }

  private static JsonNode generator(String name) {
    JsonNode generators = K8sManifests.kustomization().path("configMapGenerator");
    JsonNode found = StreamSupport.stream(generators.spliterator(), false)
      .filter(g -> g.path("name").asText().equals(name))
      .findFirst()
      .orElse(null);
    assertNotNull(found, "kustomization.yaml has no configMapGenerator named " + name);
    return found;
  }
}
