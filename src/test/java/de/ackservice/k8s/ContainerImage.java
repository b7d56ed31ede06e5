package de.ackservice.k8s;

import de.ackservice.support.ExternalTool;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The project's real Dockerfile built with podman, once per test JVM and shared by every container test. Only the
 * base images differ from a release build: this machine reaches no registry, so {@code .ci/base-images.sh} makes
 * Debian-built ones (with mmdebstrap, once per machine, reused while their package list is unchanged) and they are
 * passed through the Dockerfile's own build arguments. The build runs with {@code --network host} so Maven can
 * download from Maven Central inside the build stage; an unchanged pom.xml reuses the dependency layer.
 *
 * <p>No container engine here fails the test (the machine's CI installs podman: .ci/run); there is no skip.
 */
final class ContainerImage {

  private static final Duration BASE_IMAGES_TIMEOUT = Duration.ofMinutes(15);
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(15);
  private static String built;

  private ContainerImage() {
  }

  static String podman() {
    return ExternalTool.require("podman", "podman");
  }

  /** The image's reference, building it on first use; its tag is removed again when the test JVM ends. */
  static synchronized String get() throws IOException, InterruptedException {
    if (built == null) {
      Map<String, String> bases = baseImages();
      String tag = "localhost/ack-test:" + ProcessHandle.current().pid() + "-" + System.currentTimeMillis();
      long started = System.nanoTime();
      ExternalTool.run(List.of(podman(), "build", "--network", "host",
        "--build-arg", "BUILD_IMAGE=" + bases.get("BUILD_IMAGE"),
        "--build-arg", "RUNTIME_IMAGE=" + bases.get("RUNTIME_IMAGE"),
        "--tag", tag, ProjectFiles.ROOT.toString()), BUILD_TIMEOUT).requireSuccess();
      System.out.printf("built %s from the Dockerfile in %d s (BUILD_IMAGE=%s RUNTIME_IMAGE=%s)%n", tag,
        Duration.ofNanos(System.nanoTime() - started).toSeconds(), bases.get("BUILD_IMAGE"),
        bases.get("RUNTIME_IMAGE"));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> untag(tag)));
      built = tag;
    }
    return built;
  }

  /** BUILD_IMAGE and RUNTIME_IMAGE as .ci/base-images.sh prints them (building them if this machine lacks them). */
  static Map<String, String> baseImages() throws IOException, InterruptedException {
    ExternalTool.require("mmdebstrap", "mmdebstrap");
    ExternalTool.Result result = ExternalTool.run(List.of("bash",
      ProjectFiles.ROOT.resolve(".ci/base-images.sh").toString()), BASE_IMAGES_TIMEOUT).requireSuccess();
    Map<String, String> images = new HashMap<>();
    for (String line : result.stdout().lines().toList()) {
      String[] pair = line.split("=", 2);
      if (pair.length == 2) {
        images.put(pair[0], pair[1]);
      }
    }
    if (!images.containsKey("BUILD_IMAGE") || !images.containsKey("RUNTIME_IMAGE")) {
      throw new AssertionError(".ci/base-images.sh printed no BUILD_IMAGE/RUNTIME_IMAGE:\n" + result.stdout());
    }
    return images;
  }

  private static void untag(String tag) {
    try {
      // With a name, untag removes only that name (without one it would remove every name of the image).
      ExternalTool.run(List.of(podman(), "untag", tag, tag), Duration.ofSeconds(60));
    } catch (Exception e) {
      System.err.println("could not untag " + tag + ": " + e);
    }
  }
}
