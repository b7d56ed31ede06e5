package de.ackservice.config;

import java.util.List;

/**
 * TLS for the client: on with {@code clientTls}. The server's certificate is verified against the PEM bundle in
 * {@code clientTlsTrustPath} (or, when that is empty, the JVM's default trust store), and its name against
 * {@code clientHost}, as a browser would. {@code clientTlsCertPath} and {@code clientTlsKeyPath} are the client's
 * own certificate for a server that asks for one (mutual TLS).
 */
public record ClientTlsConfig(boolean enabled, String trustPath, String certPath, String keyPath) {

  public static final String TLS = "clientTls";
  public static final String TRUST_PATH = "clientTlsTrustPath";
  public static final String CERT_PATH = "clientTlsCertPath";
  public static final String KEY_PATH = "clientTlsKeyPath";

  public static final List<String> KEYS = List.of(TLS, TRUST_PATH, CERT_PATH, KEY_PATH);

  static ClientTlsConfig from(Settings settings) {
    boolean enabled = settings.flag(TLS, false);
    String trust = settings.readableFile(TRUST_PATH);
    String cert = settings.readableFile(CERT_PATH);
    String key = settings.readableFile(KEY_PATH);
    if (cert.isEmpty() != key.isEmpty()) {
      String missing = cert.isEmpty() ? CERT_PATH : KEY_PATH;
      throw settings.invalid(missing, "", "must be set too: a client certificate needs both " + CERT_PATH + " and "
        + KEY_PATH);
    }
    if (!enabled) {
      for (String pathKey : List.of(TRUST_PATH, CERT_PATH)) {
        String path = pathKey.equals(TRUST_PATH) ? trust : cert;
        if (!path.isEmpty()) {
          // Most likely TLS was meant: say so rather than send in plain text.
          throw settings.invalid(pathKey, path, "is only used with " + TLS + " = true");
        }
      }
    }
    return new ClientTlsConfig(enabled, trust, cert, key);
  }

  public boolean presentsCertificate() {
    return !certPath.isEmpty();
  }
}
