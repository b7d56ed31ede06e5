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
      () -> assertEquals(deployment.getSpec().getReplicas(), hpa.getSpec().getMinReplicas(),
        "minReplicas = the Deployment's replicas: neither undercuts the other"),
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

  @Test
  void replicasSpreadOverNodes() {
    List<TopologySpreadConstraint> spread = K8sManifests.pod(deployment).getTopologySpreadConstraints();

    TopologySpreadConstraint byNode = spread.stream()
      .filter(c -> c.getTopologyKey().equals("kubernetes.io/hostname"))
      .findFirst()
      .orElseThrow(() -> new AssertionError("no spread over kubernetes.io/hostname"));
    Selectors.assertSelects(byNode.getLabelSelector(), podLabels, "topology spread");
    assertEquals(1, byNode.getMaxSkew());
  }
}
