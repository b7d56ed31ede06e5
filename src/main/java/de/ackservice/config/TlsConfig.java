package de.ackservice.config;

import io.vertx.core.http.ClientAuth;

import java.util.List;

/**
 * TLS on the acknowledgement port: off unless {@code tlsCertPath} and {@code tlsKeyPath} name PEM files. The files
 * are read again every {@code tlsReloadMs}, so a renewed certificate is used for new connections without a restart.
 * With {@code tlsClientAuth} {@code request} or {@code required}, clients are asked for a certificate signed by one
 * in {@code tlsTrustPath} (mutual TLS).
 */
public record TlsConfig(String certPath, String keyPath, ClientAuth clientAuth, String trustPath, int reloadMs) {

  public static final String CERT_PATH = "tlsCertPath";
  public static final String KEY_PATH = "tlsKeyPath";
  public static final String CLIENT_AUTH = "tlsClientAuth";
  public static final String TRUST_PATH = "tlsTrustPath";
  public static final String RELOAD_MS = "tlsReloadMs";

  public static final List<String> KEYS = List.of(CERT_PATH, KEY_PATH, CLIENT_AUTH, TRUST_PATH, RELOAD_MS);

  private static final int ONE_DAY_MS = 24 * 3600 * 1000;

  static TlsConfig from(Settings settings) {
    String cert = settings.readableFile(CERT_PATH);
    String key = settings.readableFile(KEY_PATH);
    if (cert.isEmpty() != key.isEmpty()) {
      String missing = cert.isEmpty() ? CERT_PATH : KEY_PATH;
      throw settings.invalid(missing, "", "must be set too: TLS needs both " + CERT_PATH + " and " + KEY_PATH);
    }
    ClientAuth clientAuth = settings.choice(CLIENT_AUTH, ClientAuth.NONE, ClientAuth.class);
    String trust = settings.readableFile(TRUST_PATH);
    if (clientAuth != ClientAuth.NONE && (cert.isEmpty() || trust.isEmpty())) {
      throw settings.invalid(CLIENT_AUTH, clientAuth.name().toLowerCase(),
        "needs TLS (" + CERT_PATH + ", " + KEY_PATH + ") and the client certificates' issuers in " + TRUST_PATH);
    }
    if (clientAuth == ClientAuth.NONE && !trust.isEmpty()) {
      // Most likely mutual TLS was meant: say so rather than silently accept every client.
      throw settings.invalid(TRUST_PATH, trust, "is only used with " + CLIENT_AUTH + " request or required");
    }
    return new TlsConfig(cert, key, clientAuth, trust, settings.integer(RELOAD_MS, 10_000, 0, ONE_DAY_MS));
  }

  public boolean enabled() {
    return !certPath.isEmpty();
  }

  public boolean reloads() {
    return enabled() && reloadMs > 0;
  }
}
