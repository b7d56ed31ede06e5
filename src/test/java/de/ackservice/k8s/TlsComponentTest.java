package de.ackservice.k8s;

import de.ackservice.config.ConfigKey;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TLS component (k8s/tls/), enabled as the README says, by uncommenting {@code components: [tls]} in
 * k8s/kustomization.yaml: rendered by kustomize from a copy of k8s/, it must mount the Secret so that renewals
 * reach the files, point the server at them, let only the pod's group read the key, and change nothing else.
 */
class TlsComponentTest {

  private static final String MOUNT = "/etc/ack-tls";

  private static List<HasMetadata> withTls;
  private static List<HasMetadata> without;

  @BeforeAll
  static void renderWithAndWithoutTheComponent() throws Exception {
    withTls = StrictManifests.parse(Kustomize.renderWithComponent("tls"), "kubectl kustomize (k8s/ with components: [tls])");
    without = StrictManifests.parse(Kustomize.render(ProjectFiles.K8S), "kubectl kustomize k8s/");
  }

  @Test
  void theSecretIsMountedWholeAndReadOnlyWhereTheConfigurationPoints() {
    Deployment deployment = deployment(withTls);
    Container container = K8sManifests.container(deployment);
    Volume volume = K8sManifests.pod(deployment).getVolumes().stream()
      .filter(v -> v.getSecret() != null)
      .findFirst()
      .orElseThrow(() -> new AssertionError("no Secret volume"));
    VolumeMount mount = container.getVolumeMounts().stream()
      .filter(m -> m.getName().equals(volume.getName()))
      .findFirst()
      .orElseThrow(() -> new AssertionError("the Secret volume is not mounted"));
    Map<String, String> env = container.getEnv().stream()
      .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));

    assertAll(
      () -> assertEquals("ack-tls", volume.getSecret().getSecretName()),
      () -> assertEquals(MOUNT, mount.getMountPath()),
      () -> assertEquals(Boolean.TRUE, mount.getReadOnly()),
      () -> assertNull(mount.getSubPath(), "a subPath mount would never see a renewed certificate"),
      () -> assertEquals(MOUNT + "/tls.crt", env.get(ConfigKey.TLS_CERT_PATH.envName())),
      () -> assertEquals(MOUNT + "/tls.key", env.get(ConfigKey.TLS_KEY_PATH.envName())),
      () -> assertTrue(K8sManifests.configMount(container).stream().noneMatch(m -> MOUNT.startsWith(m + "/")),
        "not inside the read-only ConfigMap mount"));
  }

  @Test
  void onlyThePodsGroupMayReadThePrivateKey() {
    Deployment deployment = deployment(withTls);
    PodSpec pod = K8sManifests.pod(deployment);
    Volume volume = pod.getVolumes().stream().filter(v -> v.getSecret() != null).findFirst().orElseThrow();

    assertAll(
      () -> assertEquals(0440, volume.getSecret().getDefaultMode(), "owner and group read, nobody else"),
      () -> assertEquals(pod.getSecurityContext().getRunAsGroup(), pod.getSecurityContext().getFsGroup(),
        "the files' group is the process's group"));
  }

  @Test
  void everythingElseIsTheBaseUnchanged() {
    Deployment base = deployment(without);
    Deployment tls = deployment(withTls);
    assertNotNull(tls);
    assertEquals(without.stream().filter(o -> !(o instanceof Deployment)).toList(),
      withTls.stream().filter(o -> !(o instanceof Deployment)).toList());
    assertEquals(K8sManifests.container(base).getPorts(), K8sManifests.container(tls).getPorts());
    assertEquals(K8sManifests.container(base).getCommand(), K8sManifests.container(tls).getCommand());
    assertEquals(K8sManifests.container(base).getReadinessProbe(), K8sManifests.container(tls).getReadinessProbe(),
      "the probes use the plain management port, TLS or not");
  }

  @Test
  void thePatchParsesStrictlyAsADeployment() {
    Path patch = ProjectFiles.K8S.resolve("tls/deployment-tls.yaml");
    Deployment parsed = StrictManifests.parseOne(ProjectFiles.text(patch), "k8s/tls/deployment-tls.yaml",
      Deployment.class);
    assertEquals("ack", parsed.getMetadata().getName());
  }

  private static Deployment deployment(List<HasMetadata> objects) {
    return objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst()
      .orElseThrow();
  }
}
