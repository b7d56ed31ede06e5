package de.ackservice.config;

/**
 * The rule that a certificate and its private key come as a pair, for the server's TLS and the client's
 * certificate alike: one without the other is most likely a typo, and must not silently mean "no TLS".
 */
final class CertificateFiles {

  private CertificateFiles() {
  }

  /** @param purpose what the pair is for, e.g. "TLS" or "a client certificate" */
  static void requirePair(ConfigValues values, ConfigKey certKey, ConfigKey keyKey, String purpose) {
    String cert = values.text(certKey);
    String key = values.text(keyKey);
    if (cert.isEmpty() != key.isEmpty()) {
      throw values.invalid(cert.isEmpty() ? certKey : keyKey,
        "must be set too: " + purpose + " needs both " + certKey.key() + " and " + keyKey.key());
    }
  }
}
