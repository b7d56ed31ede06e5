package de.ackservice.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Every manifest in k8s/ is a valid object of a Kubernetes API type, and kustomize applies all of them. */
class ManifestFilesTest {

  static List<Path> manifests() {
    return K8sManifests.manifestFiles();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("manifests")
  void parsesStrictlyAgainstTheKubernetesApiTypes(Path file) {
    List<HasMetadata> objects = StrictManifests.parse(ProjectFiles.text(file), "k8s/" + file.getFileName());

    assertFalse(objects.isEmpty(), file + " holds no object");
  }

  @Test
  void kustomizationAppliesExactlyTheManifestsOfTheFolder() {
    JsonNode resources = K8sManifests.kustomization().path("resources");
    Set<String> listed = StreamSupport.stream(resources.spliterator(), false)
      .map(JsonNode::asText)
      .collect(Collectors.toCollection(TreeSet::new));
    Set<String> present = manifests().stream()
      .map(p -> p.getFileName().toString())
      .collect(Collectors.toCollection(TreeSet::new));

    assertEquals(present, listed, "k8s/kustomization.yaml 'resources' must list every manifest in k8s/ and no other");
  }
}
