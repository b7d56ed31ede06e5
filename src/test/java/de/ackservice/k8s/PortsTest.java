package de.ackservice.k8s;

import de.ackservice.config.ServerConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One port everywhere: config = container port = Service targetPort = probes = NetworkPolicy = Dockerfile EXPOSE. */
class PortsTest {

  private final Container container = K8sManifests.container(K8sManifests.deployment());
  private final ServerConfig config = K8sManifests.serverConfig();

  @Test
  void theContainerPortIsTheConfiguredPortAndIsNamed() {
    assertEquals(1, container.getPorts().size(), "one container port until the health/metrics port exists");
    ContainerPort port = container.getPorts().get(0);

    assertAll(
      () -> assertEquals(5000, port.getContainerPort()),
      () -> assertEquals(config.port(), port.getContainerPort(), "k8s/config.json port vs containerPort"),
      () -> assertEquals("ack", port.getName()),
      () -> assertEquals("TCP", port.getProtocol()));
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
  void everyProbeChecksTheServicePort() {
    Map<String, Probe> probes = Map.of(
      "startupProbe", container.getStartupProbe(),
      "readinessProbe", container.getReadinessProbe(),
      "livenessProbe", container.getLivenessProbe());

    probes.forEach((name, probe) -> {
      assertNotNull(probe, name + " missing");
      assertNotNull(probe.getTcpSocket(), name + " must be a tcpSocket probe (the service speaks raw TCP)");
      assertEquals(config.port(), K8sManifests.resolvePort(probe.getTcpSocket().getPort(), container), name);
    });
  }

  @Test
  void theNetworkPolicyAdmitsOnlyTheServicePort() {
    NetworkPolicy policy = K8sManifests.networkPolicy();

    assertTrue(policy.getSpec().getPolicyTypes().contains("Ingress"));
    Set<String> admitted = policy.getSpec().getIngress().stream()
      .flatMap(rule -> {
        assertNotNull(rule.getPorts(), "an ingress rule without ports admits every port");
        return rule.getPorts().stream();
      })
      .map(p -> p.getProtocol() + "/" + K8sManifests.resolvePort(p.getPort(), container))
      .collect(Collectors.toSet());
    assertEquals(Set.of("TCP/" + config.port()), admitted);
    assertTrue(policy.getSpec().getIngress().stream().flatMap(r -> r.getPorts().stream())
      .map(NetworkPolicyPort::getEndPort).allMatch(Objects::isNull), "no port ranges");
  }

  @Test
  void theImageExposesTheContainerPort() {
    List<String> exposed = Dockerfile.read().runtime().all("EXPOSE").stream()
      .flatMap(e -> e.words().stream())
      .toList();

    assertEquals(List.of(String.valueOf(config.port())), exposed);
  }

  @Test
  void theServerListensOnEveryInterfaceSoProbesAndTheServiceReachIt() {
    assertTrue(Set.of("0.0.0.0", "::").contains(config.host()),
      "host must be a wildcard address: the kubelet and the Service connect to the pod IP, not to localhost");
  }

  @Test
  void thePortNeedsNoPrivilegeToBind() {
    assertTrue(config.port() >= 1024, "a non-root process without capabilities cannot bind below 1024");
  }
}
