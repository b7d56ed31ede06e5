package de.ackservice.k8s;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** No private key is part of the project: tests make theirs at run time, Kubernetes takes it from a Secret. */
class NoPrivateKeyTest {

  /** Spelled in two parts so that this file does not contain what it looks for. */
  private static final String PEM_PRIVATE_KEY = "PRIVATE " + "KEY-----";
  private static final Set<String> NOT_THE_PROJECT = Set.of("target", ".git", ".idea");

  @Test
  void noFileOfTheProjectHoldsAPrivateKey() throws IOException {
    List<Path> withKey;
    try (Stream<Path> files = Files.walk(ProjectFiles.ROOT)) {
      withKey = files
        .filter(file -> NOT_THE_PROJECT.stream().noneMatch(dir -> ProjectFiles.ROOT.relativize(file).startsWith(dir)))
        .filter(Files::isRegularFile)
        .filter(NoPrivateKeyTest::holdsPrivateKey)
        .toList();
    }
    assertEquals(List.of(), withKey);
  }

  private static boolean holdsPrivateKey(Path file) {
    try {
      return new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1)
        .contains(PEM_PRIVATE_KEY);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
