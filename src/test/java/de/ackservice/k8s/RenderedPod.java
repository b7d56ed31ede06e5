package de.ackservice.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.util.List;

/**
 * The pod as {@code kubectl apply -k k8s/} would create it: the Deployment and the ConfigMaps kustomize generates,
 * rendered offline and read strictly. Container tests take every setting from here, never from a copy.
 */
record RenderedPod(Deployment deployment, List<ConfigMap> configMaps) {

  private static RenderedPod rendered;

  static synchronized RenderedPod get() throws Exception {
    if (rendered == null) {
      List<HasMetadata> objects = StrictManifests.parse(Kustomize.render(ProjectFiles.K8S), "kubectl kustomize k8s/");
      Deployment deployment = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
        .findFirst().orElseThrow(() -> new AssertionError("k8s/ renders no Deployment"));
      List<ConfigMap> configMaps = objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
        .toList();
      rendered = new RenderedPod(deployment, configMaps);
    }
    return rendered;
  }

  PodSpec spec() {
    return K8sManifests.pod(deployment);
  }

  Container container() {
    return K8sManifests.container(deployment);
  }

  ConfigMap configMap(String name) {
    return configMaps.stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst()
      .orElseThrow(() -> new AssertionError("no rendered ConfigMap " + name));
  }

  /** The preStop exec command the kubelet runs inside the container before SIGTERM. */
  List<String> preStopCommand() {
    Container container = container();
    if (container.getLifecycle() == null || container.getLifecycle().getPreStop() == null
        || container.getLifecycle().getPreStop().getExec() == null) {
      throw new AssertionError("the container has no preStop exec hook");
    }
    return container.getLifecycle().getPreStop().getExec().getCommand();
  }

  long terminationGraceSeconds() {
    Long grace = spec().getTerminationGracePeriodSeconds();
    return grace == null ? 30 : grace; // the API's default
  }
}
