package de.ackservice.config;

import io.vertx.core.http.ClientAuth;

import static de.ackservice.config.ConfigKey.TLS_CERT_PATH;
import static de.ackservice.config.ConfigKey.TLS_CLIENT_AUTH;
import static de.ackservice.config.ConfigKey.TLS_KEY_PATH;
import static de.ackservice.config.ConfigKey.TLS_RELOAD_MS;
import static de.ackservice.config.ConfigKey.TLS_TRUST_PATH;

/**
 * TLS on the acknowledgement port: off unless {@code tlsCertPath} and {@code tlsKeyPath} name PEM files. The files
 * are read again every {@code tlsReloadMs}, so a renewed certificate is used for new connections without a restart.
 * With {@code tlsClientAuth} {@code request} or {@code required}, clients are asked for a certificate signed by one
 * in {@code tlsTrustPath} (mutual TLS).
 */
public record TlsConfig(String certPath, String keyPath, ClientAuth clientAuth, String trustPath, int reloadMs) {

  static TlsConfig from(ConfigValues values) {
    CertificateFiles.requirePair(values, TLS_CERT_PATH, TLS_KEY_PATH, "TLS");
    String cert = values.text(TLS_CERT_PATH);
    ClientAuth clientAuth = values.choice(TLS_CLIENT_AUTH, ClientAuth.class);
    String trust = values.text(TLS_TRUST_PATH);
    if (clientAuth != ClientAuth.NONE && (cert.isEmpty() || trust.isEmpty())) {
      throw values.invalid(TLS_CLIENT_AUTH, clientAuth.name().toLowerCase(), "needs TLS (" + TLS_CERT_PATH.key()
        + ", " + TLS_KEY_PATH.key() + ") and the client certificates' issuers in " + TLS_TRUST_PATH.key());
    }
    if (clientAuth == ClientAuth.NONE && !trust.isEmpty()) {
      // Most likely mutual TLS was meant: say so rather than silently accept every client.
      throw values.invalid(TLS_TRUST_PATH, trust, "is only used with " + TLS_CLIENT_AUTH.key()
        + " request or required");
    }
    return new TlsConfig(cert, values.text(TLS_KEY_PATH), clientAuth, trust, values.integer(TLS_RELOAD_MS));
  }

  public boolean enabled() {
    return !certPath.isEmpty();
  }

  public boolean reloads() {
    return enabled() && reloadMs > 0;
  }
}
