package de.ackservice.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rollout or scale-down drops no acknowledgement: capacity is kept while pods are replaced, and a stopping pod
 * gets the preStop pause plus the server's drain before the kubelet's SIGKILL.
 */
class GracefulRolloutTest {

  /** Time for the JVM to finish after the drain (closing Vert.x, flushing logs), on a busy node. */
  static final long SHUTDOWN_MARGIN_SECONDS = 5;

  private final Deployment deployment = K8sManifests.deployment();
  private final PodSpec pod = K8sManifests.pod(deployment);
  private final Container container = K8sManifests.container(deployment);

  @Test
  void theGracePeriodCoversThePreStopPauseAndTheServersDrainWithMargin() {
    long grace = pod.getTerminationGracePeriodSeconds();
    long pause = preStopPauseSeconds(container);
    long drain = (K8sManifests.serverConfig().shutdownGraceMs() + 999) / 1000;

    assertTrue(grace >= pause + drain + SHUTDOWN_MARGIN_SECONDS, "terminationGracePeriodSeconds " + grace
      + " must be at least preStop " + pause + " + shutdownGraceMs " + drain + " s + margin " + SHUTDOWN_MARGIN_SECONDS);
  }

  @Test
  void preStopPausesSoEndpointsStopSendingBeforeTheServerStopsAccepting() {
    assertTrue(preStopPauseSeconds(container) >= 1);
  }

  @Test
  void aRolloutKeepsFullCapacity() {
    assertEquals("RollingUpdate", deployment.getSpec().getStrategy().getType());
    RollingUpdateDeployment rolling = deployment.getSpec().getStrategy().getRollingUpdate();
    assertNotNull(rolling);

    assertAll(
      () -> assertTrue(isZero(rolling.getMaxUnavailable()), "maxUnavailable must be 0"),
      () -> assertTrue(rolling.getMaxSurge() != null && !isZero(rolling.getMaxSurge()),
        "maxSurge must be above 0, or no rollout can proceed with maxUnavailable 0"));
  }

  @Test
  void runsAtLeastTwoReplicas() {
    // The Deployment sets no replicas (the autoscaler owns the count): the floor is the autoscaler's.
    assertTrue(K8sManifests.autoscaler().getSpec().getMinReplicas() >= 2);
  }

  @Test
  void serviceLinksAreOffBecauseTheyWouldSetAckPort() {
    // A Service named "ack" makes the kubelet inject ACK_PORT=tcp://..., which the configuration reads as the port.
    assertEquals(Boolean.FALSE, pod.getEnableServiceLinks());
  }

  /** The N of a preStop {@code exec: [sleep, N]}. */
  static long preStopPauseSeconds(Container container) {
    assertNotNull(container.getLifecycle(), "no lifecycle");
    assertNotNull(container.getLifecycle().getPreStop(), "no preStop hook");
    assertNotNull(container.getLifecycle().getPreStop().getExec(), "preStop must be an exec hook");
    List<String> command = container.getLifecycle().getPreStop().getExec().getCommand();
    assertEquals(2, command.size(), "preStop must be [sleep, N]: " + command);
    assertEquals("sleep", command.get(0));
    return Long.parseLong(command.get(1));
  }

  private static boolean isZero(IntOrString value) {
    return value == null ? false
      : value.getIntVal() != null ? value.getIntVal() == 0 : value.getStrVal().equals("0%");
  }
}
