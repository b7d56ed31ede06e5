package de.ackservice.k8s;

import de.ackservice.k8s.StrictManifests.InvalidManifestException;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reader the manifest tests rely on must reject what the API server would reject, or they prove nothing. */
class StrictManifestsTest {

  private static final String VALID = """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: demo
      labels:
        app: demo
    spec:
      replicas: 2
      selector:
        matchLabels:
          app: demo
      template:
        metadata:
          labels:
            app: demo
        spec:
          containers:
            - name: demo
              image: demo:1
              ports:
                - name: tcp
                  containerPort: 5000
              readinessProbe:
                tcpSocket:
                  port: tcp
              resources:
                limits:
                  memory: 512Mi
    """;

  @Test
  void readsAValidDeploymentIntoTheApiTypes() {
    Deployment deployment = StrictManifests.parseOne(VALID, "valid", Deployment.class);

    var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertAll(
      () -> assertEquals(2, deployment.getSpec().getReplicas()),
      () -> assertEquals("tcp", container.getReadinessProbe().getTcpSocket().getPort().getStrVal()),
      () -> assertEquals("512Mi", container.getResources().getLimits().get("memory").toString()));
  }

  @Test
  void rejectsAMisspelledFieldDeepInsideTheObjectAndNamesIt() {
    String misspelled = VALID.replace("readinessProbe:", "readinesProbe:");

    InvalidManifestException e = assertThrows(InvalidManifestException.class,
      () -> StrictManifests.parse(misspelled, "misspelled"));

    assertTrue(e.getMessage().contains("readinesProbe"), e.getMessage());
  }

  @Test
  void rejectsAFieldPutAtTheWrongLevel() {
    // replicas belongs to the Deployment's spec, not to the pod template's.
    String misplaced = VALID.replace("      containers:", "      replicas: 3\n      containers:");

    assertThrows(InvalidManifestException.class, () -> StrictManifests.parse(misplaced, "misplaced"));
  }

  @Test
  void rejectsAnUnknownFieldInMetadata() {
    String typo = VALID.replace("  name: demo\n  labels:", "  name: demo\n  lables:");

    assertThrows(InvalidManifestException.class, () -> StrictManifests.parse(typo, "typo"));
  }

  @Test
  void rejectsAStringWhereTheApiWantsAnInteger() {
    String quoted = VALID.replace("replicas: 2", "replicas: \"2\"");

    assertThrows(InvalidManifestException.class, () -> StrictManifests.parse(quoted, "quoted"));
  }

  @Test
  void rejectsADuplicateKey() {
    String duplicate = VALID.replace("  replicas: 2", "  replicas: 2\n  replicas: 3");

    assertThrows(InvalidManifestException.class, () -> StrictManifests.parse(duplicate, "duplicate"));
  }

  @Test
  void rejectsAnApiVersionThatNoLongerServesTheKind() {
    String removed = VALID.replace("apiVersion: apps/v1", "apiVersion: extensions/v1beta1");

    InvalidManifestException e = assertThrows(InvalidManifestException.class,
      () -> StrictManifests.parse(removed, "removed"));

    assertTrue(e.getMessage().contains("extensions/v1beta1/Deployment"), e.getMessage());
  }

  @Test
  void readsEveryDocumentOfAStream() {
    String stream = VALID + "---\n" + VALID.replace("name: demo\n  labels", "name: other\n  labels");

    assertEquals(2, StrictManifests.parse(stream, "stream").size());
  }
}
