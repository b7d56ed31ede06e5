package de.ackservice.config;

import static de.ackservice.config.ConfigKey.CLIENT_TLS;
import static de.ackservice.config.ConfigKey.CLIENT_TLS_CERT_PATH;
import static de.ackservice.config.ConfigKey.CLIENT_TLS_KEY_PATH;
import static de.ackservice.config.ConfigKey.CLIENT_TLS_TRUST_PATH;

/**
 * TLS for the client: on with {@code clientTls}. The server's certificate is verified against the PEM bundle in
 * {@code clientTlsTrustPath} (or, when that is empty, the JVM's default trust store), and its name against
 * {@code clientHost}, as a browser would. {@code clientTlsCertPath} and {@code clientTlsKeyPath} are the client's
 * own certificate for a server that asks for one (mutual TLS).
 */
public record ClientTlsConfig(boolean enabled, String trustPath, String certPath, String keyPath) {

  static ClientTlsConfig from(ConfigValues values) {
    boolean enabled = values.flag(CLIENT_TLS);
    String trust = values.text(CLIENT_TLS_TRUST_PATH);
    String cert = values.text(CLIENT_TLS_CERT_PATH);
    String key = values.text(CLIENT_TLS_KEY_PATH);
    CertificateFiles.requirePair(values, CLIENT_TLS_CERT_PATH, CLIENT_TLS_KEY_PATH, "a client certificate");
    if (!enabled) {
      for (ConfigKey pathKey : new ConfigKey[] {CLIENT_TLS_TRUST_PATH, CLIENT_TLS_CERT_PATH}) {
        if (!values.text(pathKey).isEmpty()) {
          // Most likely TLS was meant: say so rather than send in plain text.
          throw values.invalid(pathKey, "is only used with " + CLIENT_TLS.key() + " = true");
        }
      }
    }
    return new ClientTlsConfig(enabled, trust, cert, key);
  }

  public boolean presentsCertificate() {
    return !certPath.isEmpty();
  }
}
