package de.ackservice.support;

import io.vertx.core.net.SelfSignedCertificate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Certificates made at test time (none is committed): self-signed, for {@code localhost}, each one distinct, so a
 * peer that trusts one rejects another. Files live in a temporary folder that {@link #close()} deletes.
 *
 * <p>Making an RSA key takes a second or more on a busy machine, so the certificates are made once per test JVM and
 * shared: the n-th {@link #create()} of every instance copies the same n-th certificate. Within one instance they
 * are all different, which is what the tests need.
 */
public final class TestCertificates implements AutoCloseable {

  /** A certificate and its private key as PEM files. */
  public record Pair(Path cert, Path key) {

    public X509Certificate certificate() {
      try (InputStream in = Files.newInputStream(cert)) {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      } catch (Exception e) {
        throw new IllegalStateException("cannot read " + cert, e);
      }
    }
  }

  private static final List<SelfSignedCertificate> MADE = new ArrayList<>();

  private final Path dir;
  private int count;

  public TestCertificates() throws IOException {
    dir = Files.createTempDirectory("ack-certs");
  }

  /** A new self-signed certificate for {@code localhost}, copied into this folder. */
  public Pair create() throws IOException {
    SelfSignedCertificate certificate = made(count);
    count++;
    Path cert = Files.copy(Path.of(certificate.certificatePath()), dir.resolve("generated-" + count + ".crt"));
    Path key = Files.copy(Path.of(certificate.privateKeyPath()), dir.resolve("generated-" + count + ".key"));
    return new Pair(cert, key);
  }

  /** A file in this folder. */
  public Path path(String name) {
    return dir.resolve(name);
  }

  /**
   * Puts {@code source}'s content at {@code target} in one step, as a Kubernetes Secret volume or a careful
   * {@code mv} does: a reader sees the old file or the new one, never half of one.
   */
  public static void install(Path source, Path target) throws IOException {
    Path temporary = target.resolveSibling(target.getFileName() + ".new");
    Files.copy(source, temporary, StandardCopyOption.REPLACE_EXISTING);
    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Files holding several certificates one after the other, as a CA bundle does. */
  public Path bundle(String name, Pair... pairs) throws IOException {
    StringBuilder pem = new StringBuilder();
    for (Pair pair : pairs) {
      pem.append(Files.readString(pair.cert()));
    }
    return Files.writeString(dir.resolve(name), pem);
  }

  private static SelfSignedCertificate made(int index) {
    synchronized (MADE) {
      while (MADE.size() <= index) {
        MADE.add(SelfSignedCertificate.create("localhost"));
      }
      return MADE.get(index);
    }
  }

  @Override
  public void close() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }
}
