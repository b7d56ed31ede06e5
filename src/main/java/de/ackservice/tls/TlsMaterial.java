package de.ackservice.tls;

import de.ackservice.config.ConfigKey;
import de.ackservice.config.TlsConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;

import javax.net.ssl.X509KeyManager;

/**
 * A certificate, its private key and the optional client trust bundle, parsed and checked, ready to be handed to a
 * NetServer. Checked means more than "parses": the key must belong to the certificate. A renewal that replaces the
 * two files one after the other would otherwise be picked up half-way, and every handshake until the next check
 * would fail; a pair that does not match is refused and the server keeps the one it has.
 */
public final class TlsMaterial {

  private final TlsFiles files;
  private final ServerSSLOptions sslOptions;
  private final X509Certificate certificate;

  private TlsMaterial(TlsFiles files, ServerSSLOptions sslOptions, X509Certificate certificate) {
    this.files = files;
    this.sslOptions = sslOptions;
    this.certificate = certificate;
  }

  /** Reads and checks the files now (blocking). Throws {@link UnusableTlsFilesException} naming the file. */
  public static TlsMaterial load(TlsConfig config) {
    return from(TlsFiles.read(config));
  }

  static TlsMaterial from(TlsFiles files) {
    TlsConfig config = files.config();
    Buffer cert = Buffer.buffer(files.cert());
    Buffer key = Buffer.buffer(files.key());
    X509Certificate leaf = checkedPair(config, cert, key);
    // The options carry the bytes, not the paths: Vert.x then compares contents when asked to update, and reads
    // nothing itself at a moment we do not control.
    ServerSSLOptions options = new ServerSSLOptions()
      .setKeyCertOptions(new PemKeyCertOptions().setCertValue(cert).setKeyValue(key))
      .setClientAuth(config.clientAuth());
    if (files.trust().length > 0) {
      checkTrust(config, files.trust());
      options.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(files.trust())));
    }
    return new TlsMaterial(files, options, leaf);
  }

  /** A copy: Vert.x may keep what it is given. */
  public ServerSSLOptions sslOptions() {
    return sslOptions.copy();
  }

  public Instant notAfter() {
    return certificate.getNotAfter().toInstant();
  }

  /** For log lines: whose certificate, until when. */
  public String describe() {
    return "subject='" + certificate.getSubjectX500Principal().getName() + "' notAfter=" + notAfter();
  }

  TlsFiles files() {
    return files;
  }

  private static X509Certificate checkedPair(TlsConfig config, Buffer cert, Buffer key) {
    // Vert.x's own PEM reading (PKCS#8, PKCS#1 and SEC1 keys), through its public options: the options hold the
    // bytes, so no Vert.x instance is needed to read them. The key manager hands out the keys of the store it
    // builds without our knowing that store's password.
    PemKeyCertOptions pem = new PemKeyCertOptions().setKeyValue(key).setCertValue(cert);
    KeyStore store;
    X509KeyManager keys;
    try {
      store = pem.loadKeyStore(null);
      keys = Arrays.stream(pem.getKeyManagerFactory(null).getKeyManagers())
        .filter(X509KeyManager.class::isInstance).map(X509KeyManager.class::cast).findFirst().orElseThrow();
    } catch (Exception e) {
      throw invalid(config, "cannot be read as a PEM certificate (chain) and private key: " + e.getMessage());
    }
    try {
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias) && store.getCertificate(alias) instanceof X509Certificate leaf) {
          PrivateKey privateKey = keys.getPrivateKey(alias);
          if (privateKey == null) {
            throw invalid(config, "hold no private key the TLS engine can use");
          }
          if (!belongTogether(privateKey, leaf)) {
            throw invalid(config, "do not match: the private key does not belong to the certificate "
              + "(files replaced one at a time? the server keeps using the previous pair)");
          }
          return leaf;
        }
      }
    } catch (GeneralSecurityException e) {
      throw invalid(config, "cannot be used: " + e.getMessage());
    }
    throw invalid(config, "hold no private key with its certificate");
  }

  /** Signs a random challenge with the key and verifies it with the certificate's public key. */
  private static boolean belongTogether(PrivateKey key, X509Certificate certificate) throws GeneralSecurityException {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "EdDSA", "Ed25519", "Ed448" -> key.getAlgorithm();
      default -> null;
    };
    if (algorithm == null) {
      return true; // a key type we cannot check here; the handshake will tell
    }
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(challenge);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(certificate.getPublicKey());
    verifier.update(challenge);
    return verifier.verify(signature);
  }

  private static void checkTrust(TlsConfig config, byte[] trust) {
    Collection<? extends Certificate> certificates;
    try {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(trust));
    } catch (GeneralSecurityException e) {
      throw new UnusableTlsFilesException(ConfigKey.TLS_TRUST_PATH.key() + " = '" + config.trustPath()
        + "' cannot be read as PEM certificates: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new UnusableTlsFilesException(ConfigKey.TLS_TRUST_PATH.key() + " = '" + config.trustPath()
        + "' holds no certificate", null);
    }
  }

  private static UnusableTlsFilesException invalid(TlsConfig config, String problem) {
    return new UnusableTlsFilesException(ConfigKey.TLS_CERT_PATH.key() + " = '" + config.certPath() + "' and "
      + ConfigKey.TLS_KEY_PATH.key() + " = '" + config.keyPath() + "' " + problem, null);
  }
}
