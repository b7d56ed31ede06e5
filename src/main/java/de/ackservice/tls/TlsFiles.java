package de.ackservice.tls;

import de.ackservice.config.ConfigKey;
import de.ackservice.config.TlsConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The bytes of the server's PEM files as read at one moment, and a digest of all of them: the reloader compares
 * digests, not modification times, so it sees a change however the files were replaced (a Kubernetes Secret
 * volume swaps a symlink; {@code cp -p} keeps the old time) and never reloads files that did not change.
 */
record TlsFiles(TlsConfig config, byte[] cert, byte[] key, byte[] trust, byte[] digest) {

  /** Reads the files named by the configuration (blocking: call it off the event loop once running). */
  static TlsFiles read(TlsConfig config) {
    byte[] cert = read(ConfigKey.TLS_CERT_PATH, config.certPath());
    byte[] key = read(ConfigKey.TLS_KEY_PATH, config.keyPath());
    byte[] trust = config.trustPath().isEmpty() ? new byte[0] : read(ConfigKey.TLS_TRUST_PATH, config.trustPath());
    return new TlsFiles(config, cert, key, trust, digest(cert, key, trust));
  }

  boolean sameAs(TlsFiles other) {
    return other != null && Arrays.equals(digest, other.digest);
  }

  private static byte[] read(ConfigKey key, String path) {
    try {
      return Files.readAllBytes(Path.of(path));
    } catch (IOException e) {
      throw new UnusableTlsFilesException(key.key() + " = '" + path + "' cannot be read: " + e, e);
    }
  }

  private static byte[] digest(byte[]... parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (byte[] part : parts) {
        // Length first, so that moving bytes from one file to the next changes the digest too.
        sha.update(java.nio.ByteBuffer.allocate(4).putInt(part.length).array());
        sha.update(part);
      }
      return sha.digest();
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException("every JVM has SHA-256", impossible);
    }
  }
}
