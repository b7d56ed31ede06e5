package de.ackservice.k8s;

import de.ackservice.config.ManagementConfig;
import de.ackservice.config.ServerConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two ports, each the same everywhere. The acknowledgement port: config {@code port} = container port {@code ack} =
 * Service targetPort = NetworkPolicy = Dockerfile EXPOSE. The management port: config {@code managementPort} =
 * container port {@code management} = every probe = the Prometheus annotation = NetworkPolicy = EXPOSE.
 */
class PortsTest {

  private final Deployment deployment = K8sManifests.deployment();
  private final Container container = K8sManifests.container(deployment);
  private final ServerConfig config = K8sManifests.serverConfig();
  private final ManagementConfig management = config.management();

  @Test
  void theContainerPortsAreTheConfiguredPortsAndAreNamed() {
    assertEquals(2, container.getPorts().size(), "the ack port and the management port");
    ContainerPort ack = port("ack");
    ContainerPort managementPort = port("management");

    assertAll(
      () -> assertEquals(5000, ack.getContainerPort()),
      () -> assertEquals(config.port(), ack.getContainerPort(), "k8s/config.json port vs containerPort"),
      () -> assertEquals("TCP", ack.getProtocol()),
      () -> assertEquals(9090, managementPort.getContainerPort()),
      () -> assertEquals(management.port(), managementPort.getContainerPort(),
        "k8s/config.json managementPort vs containerPort"),
      () -> assertEquals("TCP", managementPort.getProtocol()));
  }

  @Test
  void theServiceSendsItsPortToTheContainerPort() {
    Service service = K8sManifests.service();
    List<ServicePort> ports = service.getSpec().getPorts();

    assertEquals(1, ports.size());
    ServicePort port = ports.get(0);
    assertAll(
      () -> assertEquals(5000, port.getPort()),
      () -> assertEquals("TCP", port.getProtocol()),
      () -> assertEquals(config.port(), K8sManifests.resolvePort(port.getTargetPort(), container),
        "Service targetPort must reach the configured port"));
  }

  @Test
  void everyProbeAsksTheHealthEndpointOnTheManagementPort() {
    Map<String, Probe> probes = Map.of(
      "startupProbe", container.getStartupProbe(),
      "readinessProbe", container.getReadinessProbe(),
      "livenessProbe", container.getLivenessProbe());
    Map<String, String> paths = Map.of(
      "startupProbe", "/health/live",
      "readinessProbe", "/health/ready",
      "livenessProbe", "/health/live");

    assertTrue(management.enabled(), "the probes need the management endpoint: managementPort must not be -1");
    probes.forEach((name, probe) -> {
      assertNotNull(probe, name + " missing");
      HTTPGetAction get = probe.getHttpGet();
      assertNotNull(get, name + " must be an httpGet probe of the health endpoint");
      assertAll(name,
        () -> assertEquals(paths.get(name), get.getPath()),
        () -> assertEquals(management.port(), K8sManifests.resolvePort(get.getPort(), container)),
        () -> assertTrue(get.getScheme() == null || get.getScheme().equals("HTTP"), "plain HTTP"),
        () -> assertTrue(get.getHost() == null, "the kubelet must ask the pod's IP"),
        () -> assertNull(probe.getTcpSocket()),
        () -> assertNull(probe.getExec()));
    });
  }

  @Test
  void prometheusIsToldWhereToScrape() {
    Map<String, String> annotations = deployment.getSpec().getTemplate().getMetadata().getAnnotations();

    assertNotNull(annotations, "the pod template has no annotations");
    assertAll(
      () -> assertTrue(management.metrics(), "metrics must be on in k8s/config.json"),
      () -> assertEquals("true", annotations.get("prometheus.io/scrape")),
      () -> assertEquals(String.valueOf(management.port()), annotations.get("prometheus.io/port")),
      () -> assertEquals("/metrics", annotations.get("prometheus.io/path")));
  }

  @Test
  void theNetworkPolicyAdmitsTheServiceAndManagementPortsOnly() {
    NetworkPolicy policy = K8sManifests.networkPolicy();

    assertTrue(policy.getSpec().getPolicyTypes().contains("Ingress"));
    Set<String> admitted = policy.getSpec().getIngress().stream()
      .flatMap(rule -> {
        assertNotNull(rule.getPorts(), "an ingress rule without ports admits every port");
        return rule.getPorts().stream();
      })
      .map(p -> p.getProtocol() + "/" + K8sManifests.resolvePort(p.getPort(), container))
      .collect(Collectors.toSet());
    assertEquals(Set.of("TCP/" + config.port(), "TCP/" + management.port()), admitted);
    assertTrue(policy.getSpec().getIngress().stream().flatMap(r -> r.getPorts().stream())
      .map(NetworkPolicyPort::getEndPort).allMatch(Objects::isNull), "no port ranges");
  }

  @Test
  void theImageExposesTheContainerPorts() {
    List<String> exposed = Dockerfile.read().runtime().all("EXPOSE").stream()
      .flatMap(e -> e.words().stream())
      .toList();

    assertEquals(List.of(String.valueOf(config.port()), String.valueOf(management.port())), exposed);
  }

  @Test
  void theServerListensOnEveryInterfaceSoProbesAndTheServiceReachIt() {
    assertAll(
      () -> assertTrue(Set.of("0.0.0.0", "::").contains(config.host()),
        "host must be a wildcard address: the kubelet and the Service connect to the pod IP, not to localhost"),
      () -> assertTrue(Set.of("0.0.0.0", "::").contains(management.host()),
        "managementHost must be a wildcard address: the kubelet probes and Prometheus scrapes the pod IP"));
  }

  @Test
  void thePortsNeedNoPrivilegeToBindAndDiffer() {
    assertAll(
      () -> assertTrue(config.port() >= 1024, "a non-root process without capabilities cannot bind below 1024"),
      () -> assertTrue(management.port() >= 1024, "managementPort: the same"),
      () -> assertNotEquals(config.port(), management.port()));
  }

  private ContainerPort port(String name) {
    return container.getPorts().stream()
      .filter(p -> name.equals(p.getName()))
      .findFirst()
      .orElseThrow(() -> new AssertionError("no container port named " + name + " in " + container.getPorts()));
  }
}
