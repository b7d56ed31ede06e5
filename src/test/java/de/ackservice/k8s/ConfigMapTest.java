package de.ackservice.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import de.ackservice.config.ConfigLoader;
import de.ackservice.config.ServerConfig;
import io.vertx.core.Vertx;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pod reads the project's configuration: conf/config.json, through a generated ConfigMap mounted at -conf. */
class ConfigMapTest {

  private final Deployment deployment = K8sManifests.deployment();
  private final Container container = K8sManifests.container(deployment);

  @Test
  void theConfigMapSourceIsAByteForByteCopyOfConfConfigJson() {
    assertArrayEquals(ProjectFiles.bytes(ProjectFiles.CONF),
      ProjectFiles.bytes(ProjectFiles.K8S.resolve(K8sManifests.CONFIG_FILE)),
      "k8s/config.json differs from conf/config.json: run `cp conf/config.json k8s/config.json`");
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
