package de.ackservice.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the project, resolved from the Maven base directory (the tests' working directory). */
final class ProjectFiles {

  static final Path ROOT = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
  static final Path K8S = ROOT.resolve("k8s");
  static final Path CONF = ROOT.resolve("conf/config.json");
  static final Path DOCKERFILE = ROOT.resolve("Dockerfile");
  static final Path DOCKERIGNORE = ROOT.resolve(".dockerignore");

  private ProjectFiles() {
  }

  static String text(Path path) {
    return new String(bytes(path), StandardCharsets.UTF_8);
  }

  static byte[] bytes(Path path) {
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + ROOT.relativize(path.toAbsolutePath()), e);
    }
  }
}
