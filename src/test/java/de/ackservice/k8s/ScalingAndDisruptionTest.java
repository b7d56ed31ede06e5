package de.ackservice.k8s;

import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Service, PodDisruptionBudget, autoscaler and spreading all act on the Deployment's pods. */
class ScalingAndDisruptionTest {

  private final Deployment deployment = K8sManifests.deployment();
  private final Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();

  @Test
  void theDeploymentAndServiceSelectThePods() {
    Selectors.assertSelects(deployment.getSpec().getSelector(), podLabels, "Deployment");
    Selectors.assertSelects(K8sManifests.service().getSpec().getSelector(), podLabels, "Service");
    Selectors.assertSelects(K8sManifests.networkPolicy().getSpec().getPodSelector(), podLabels, "NetworkPolicy");
  }

  @Test
  void theDisruptionBudgetLetsOnePodGoAtATime() {
    PodDisruptionBudget pdb = K8sManifests.podDisruptionBudget();

    Selectors.assertSelects(pdb.getSpec().getSelector(), podLabels, "PodDisruptionBudget");
    assertAll(
      // maxUnavailable 1 holds for any replica count the autoscaler picks, and never blocks a node drain.
      () -> assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal()),
      () -> assertNull(pdb.getSpec().getMinAvailable()));
  }

  @Test
  void theAutoscalerScalesTheDeploymentOnCpu() {
    HorizontalPodAutoscaler hpa = K8sManifests.autoscaler();
    var target = hpa.getSpec().getScaleTargetRef();

    assertAll(
      () -> assertEquals("apps/v1", target.getApiVersion()),
      () -> assertEquals("Deployment", target.getKind()),
      () -> assertEquals(deployment.getMetadata().getName(), target.getName()),
      () -> assertTrue(hpa.getSpec().getMinReplicas() >= 2, "the PDB and rolling updates need a spare pod"),
      () -> assertTrue(hpa.getSpec().getMaxReplicas() > hpa.getSpec().getMinReplicas()));
    List<MetricSpec> metrics = hpa.getSpec().getMetrics();
    assertEquals(1, metrics.size());
    MetricSpec cpu = metrics.get(0);
    assertAll(
      () -> assertEquals("Resource", cpu.getType()),
      () -> assertEquals("cpu", cpu.getResource().getName()),
      () -> assertEquals("Utilization", cpu.getResource().getTarget().getType()),
      () -> assertTrue(cpu.getResource().getTarget().getAverageUtilization() > 0
        && cpu.getResource().getTarget().getAverageUtilization() <= 100));
    assertNotNull(K8sManifests.container(deployment).getResources().getRequests().get("cpu"),
      "CPU utilisation is measured against the container's CPU request");
  }

  /** Re-applying k8s/ must not reset a scaled-out Deployment: the autoscaler alone sets the count. */
  @Test
  void theDeploymentLeavesTheReplicaCountToTheAutoscaler() {
    assertNull(deployment.getSpec().getReplicas(), "spec.replicas in deployment.yaml");
  }

  @Test
  void replicasSpreadOverNodes() {
    List<TopologySpreadConstraint> spread = K8sManifests.pod(deployment).getTopologySpreadConstraints();

    TopologySpreadConstraint byNode = spread.stream()
      .filter(c -> c.getTopologyKey().equals("kubernetes.io/hostname"))
      .findFirst()
      .orElseThrow(() -> new AssertionError("no spread over kubernetes.io/hostname"));
    Selectors.assertSelects(byNode.getLabelSelector(), podLabels, "topology spread");
    assertAll(
      () -> assertEquals(1, byNode.getMaxSkew()),
      // Strict over hosts: a host's loss costs at most one pod more than any other host's.
      () -> assertEquals("DoNotSchedule", byNode.getWhenUnsatisfiable()),
      // Counted per ReplicaSet, so during a rollout the old pods do not skew where the new ones go.
      () -> assertEquals(List.of("pod-template-hash"), byNode.getMatchLabelKeys()));
  }
}
