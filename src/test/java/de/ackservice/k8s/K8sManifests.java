package de.ackservice.k8s;

import de.ackservice.config.TestConfigs;
import com.fasterxml.jackson.databind.JsonNode;
import de.ackservice.config.ServerConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The files of k8s/, read strictly into the Kubernetes API types, and the facts the tests derive from them. */
final class K8sManifests {

  static final String CONTAINER = "ack";
  static final String CONFIG_FILE = "config.json";

  private K8sManifests() {
  }

  static Deployment deployment() {
    return read("deployment.yaml", Deployment.class);
  }

  static Service service() {
    return read("service.yaml", Service.class);
  }

  static PodDisruptionBudget podDisruptionBudget() {
    return read("pdb.yaml", PodDisruptionBudget.class);
  }

  static HorizontalPodAutoscaler autoscaler() {
    return read("hpa.yaml", HorizontalPodAutoscaler.class);
  }

  static NetworkPolicy networkPolicy() {
    return read("networkpolicy.yaml", NetworkPolicy.class);
  }

  static JsonNode kustomization() {
    return StrictManifests.tree(ProjectFiles.text(ProjectFiles.K8S.resolve("kustomization.yaml")),
      "k8s/kustomization.yaml");
  }

  /** The configuration the ConfigMap carries, parsed and validated by the service's own code. */
  static ServerConfig serverConfig() {
    return TestConfigs.server(new JsonObject(ProjectFiles.text(ProjectFiles.K8S.resolve(CONFIG_FILE))));
  }

  static PodSpec pod(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec();
  }

  static Container container(Deployment deployment) {
    List<Container> containers = pod(deployment).getContainers();
    return containers.stream()
      .filter(c -> c.getName().equals(CONTAINER))
      .findFirst()
      .orElseThrow(() -> new AssertionError("no container named " + CONTAINER + " in " + containers));
  }

  /** A port given by number or by the name of one of the container's ports, as the kubelet resolves it. */
  static int resolvePort(IntOrString port, Container container) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return container.getPorts().stream()
      .filter(p -> port.getStrVal().equals(p.getName()))
      .map(ContainerPort::getContainerPort)
      .findFirst()
      .orElseThrow(() -> new AssertionError("port name '" + port.getStrVal() + "' is not a port of container "
        + container.getName()));
  }

  /** The mount paths of the container's ConfigMap volumes. */
  static List<String> configMount(Container container) {
    return container.getVolumeMounts().stream()
      .filter(m -> m.getName().equals("config"))
      .map(io.fabric8.kubernetes.api.model.VolumeMount::getMountPath)
      .toList();
  }

  /** The value of a JVM option such as {@code -XX:MaxRAMPercentage=} in a command line, or null. */
  static String jvmOption(List<String> command, String prefix) {
    return command.stream()
      .takeWhile(arg -> !arg.equals("-jar"))
      .filter(arg -> arg.startsWith(prefix))
      .map(arg -> arg.substring(prefix.length()))
      .reduce((first, last) -> last)
      .orElse(null);
  }

  /** The argument after {@code option} in a command line. */
  static String argumentAfter(List<String> command, String option) {
    int at = command.indexOf(option);
    if (at < 0 || at + 1 >= command.size()) {
      throw new AssertionError("the command " + command + " has no " + option + " argument");
    }
    return command.get(at + 1);
  }

  static List<Path> manifestFiles() {
    try (Stream<Path> files = Files.list(ProjectFiles.K8S)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".yaml"))
        .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
        .sorted()
        .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T extends HasMetadata> T read(String file, Class<T> type) {
    return StrictManifests.parseOne(ProjectFiles.text(ProjectFiles.K8S.resolve(file)), "k8s/" + file, type);
  }
}
