package de.ackservice.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pod meets the "restricted" Pod Security Standard. Each setting is checked where it takes effect: the
 * container's own securityContext, falling back to the pod's.
 */
class PodSecurityTest {

  private final Deployment deployment = K8sManifests.deployment();
  private final PodSpec pod = K8sManifests.pod(deployment);
  private final PodSecurityContext podContext = pod.getSecurityContext();
  private final Container container = K8sManifests.container(deployment);
  private final SecurityContext context = container.getSecurityContext();

  @Test
  void runsAsANumericNonRootUserAndGroup() {
    assertNotNull(podContext);
    assertNotNull(context);
    Long user = context.getRunAsUser() != null ? context.getRunAsUser() : podContext.getRunAsUser();
    Long group = context.getRunAsGroup() != null ? context.getRunAsGroup() : podContext.getRunAsGroup();
    Boolean nonRoot = context.getRunAsNonRoot() != null ? context.getRunAsNonRoot() : podContext.getRunAsNonRoot();

    assertAll(
      () -> assertEquals(Boolean.TRUE, nonRoot),
      () -> assertNotNull(user),
      () -> assertNotEquals(0L, user),
      () -> assertNotNull(group),
      () -> assertNotEquals(0L, group));
  }

  @Test
  void cannotGainPrivilegesAndHasNoCapabilities() {
    assertAll(
      () -> assertEquals(Boolean.FALSE, context.getAllowPrivilegeEscalation()),
      () -> assertTrue(context.getPrivileged() == null || !context.getPrivileged()),
      () -> assertEquals(List.of("ALL"), context.getCapabilities().getDrop()),
      () -> assertTrue(context.getCapabilities().getAdd() == null || context.getCapabilities().getAdd().isEmpty()));
  }

  @Test
  void usesTheRuntimeDefaultSeccompProfile() {
    SeccompProfile profile = context.getSeccompProfile() != null
      ? context.getSeccompProfile() : podContext.getSeccompProfile();

    assertNotNull(profile, "no seccompProfile on pod or container");
    assertEquals("RuntimeDefault", profile.getType());
  }

  @Test
  void theRootFilesystemIsReadOnlyAndOnlyTmpIsWritable() {
    assertEquals(Boolean.TRUE, context.getReadOnlyRootFilesystem());

    for (VolumeMount mount : container.getVolumeMounts()) {
      Volume volume = volume(mount.getName());
      if (!Boolean.TRUE.equals(mount.getReadOnly())) {
        assertEquals("/tmp", mount.getMountPath(), "only /tmp may be writable");
        assertNotNull(volume.getEmptyDir(), "/tmp must be an emptyDir");
        assertNotNull(volume.getEmptyDir().getSizeLimit(), "/tmp needs a sizeLimit");
      }
    }
    assertTrue(container.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")),
      "the JVM and Vert.x need a writable /tmp");
  }

  @Test
  void sharesNothingWithTheNodeAndHasNoApiToken() {
    assertAll(
      () -> assertTrue(pod.getHostNetwork() == null || !pod.getHostNetwork()),
      () -> assertTrue(pod.getHostPID() == null || !pod.getHostPID()),
      () -> assertTrue(pod.getHostIPC() == null || !pod.getHostIPC()),
      () -> assertTrue(pod.getVolumes().stream().allMatch(v -> v.getHostPath() == null)),
      () -> assertNull(container.getPorts().get(0).getHostPort()),
      () -> assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken()));
  }

  private Volume volume(String name) {
    return pod.getVolumes().stream()
      .filter(v -> v.getName().equals(name))
      .findFirst()
      .orElseThrow(() -> new AssertionError("no volume " + name));
  }
}
