package de.ackservice.k8s;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Renders k8s/ as {@code kubectl apply -k} would, offline, with kubectl's built-in kustomize (or a standalone
 * {@code kustomize}). Neither on the PATH is a failure, not a skip: the build must prove the kustomization renders.
 */
final class Kustomize {

  private static final long TIMEOUT_SECONDS = 60;

  private Kustomize() {
  }

  /**
   * Renders a copy of k8s/ with one optional component enabled as the README says: by uncommenting
   * {@code # components:} and the component's line in k8s/kustomization.yaml (which must offer both, commented out).
   */
  static String renderWithComponent(String component) throws IOException, InterruptedException {
    Path copy = Files.createTempDirectory("k8s-" + component);
    try {
      try (Stream<Path> files = Files.walk(ProjectFiles.K8S)) {
        for (Path file : files.toList()) {
          Path target = copy.resolve(ProjectFiles.K8S.relativize(file).toString());
          if (Files.isDirectory(file)) {
            Files.createDirectories(target);
          } else {
            Files.copy(file, target);
          }
        }
      }
      Path kustomization = copy.resolve("kustomization.yaml");
      String text = Files.readString(kustomization);
      String components = "\n# components:\n";
      String offered = "\n#   - " + component + "\n";
      if (!text.contains(components) || !text.contains(offered)) {
        throw new AssertionError("k8s/kustomization.yaml must offer the " + component + " component, commented out, "
          + "as the README says");
      }
      Files.writeString(kustomization, text.replace(components, "\ncomponents:\n")
        .replace(offered, "\n  - " + component + "\n"));
      return render(copy);
    } finally {
      try (Stream<Path> files = Files.walk(copy)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
  }

  static String render(Path directory) throws IOException, InterruptedException {
    List<String> command = command(directory);
    Path out = Files.createTempFile("kustomize", ".yaml");
    Path err = Files.createTempFile("kustomize", ".err");
    Process process = new ProcessBuilder(command)
      .redirectOutput(out.toFile())
      .redirectError(err.toFile())
      .start();
    try {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command) + " failed with exit status " + process.exitValue()
          + ":\n" + Files.readString(err, StandardCharsets.UTF_8));
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } finally {
      process.destroyForcibly();
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static List<String> command(Path directory) {
    Path kubectl = onPath("kubectl");
    if (kubectl != null) {
      return List.of(kubectl.toString(), "kustomize", directory.toString());
    }
    Path kustomize = onPath("kustomize");
    if (kustomize != null) {
      return List.of(kustomize.toString(), "build", directory.toString());
    }
    throw new AssertionError("Neither kubectl nor kustomize is on the PATH, so k8s/ cannot be rendered. Install "
      + "kubectl (its built-in kustomize renders offline, no cluster needed) and run the build again.");
  }

  private static Path onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
