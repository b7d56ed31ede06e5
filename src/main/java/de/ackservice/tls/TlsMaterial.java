package de.ackservice.tls;

import de.ackservice.config.ConfigException;
import de.ackservice.config.TlsConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.core.net.impl.KeyStoreHelper;

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
import java.util.Collection;
import java.util.Collections;
import java.util.List;

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

  /** Reads and checks the files now (blocking). Throws {@link ConfigException} naming the file when unusable. */
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

  /** The server's own certificate (the first of the chain). */
  public X509Certificate certificate() {
    return certificate;
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
    KeyStore store;
    try {
      store = KeyStoreHelper.loadKeyCert(List.of(key), List.of(cert));
    } catch (Exception e) {
      throw invalid(config, "cannot be read as a PEM certificate (chain) and private key: " + e.getMessage());
    }
    try {
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias) && store.getCertificate(alias) instanceof X509Certificate leaf) {
          // The in-memory store Vert.x builds protects its entries with this fixed password.
          PrivateKey privateKey = (PrivateKey) store.getKey(alias, KeyStoreHelper.DUMMY_PASSWORD.toCharArray());
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
      throw new ConfigException("Invalid configuration: " + TlsConfig.TRUST_PATH + " = '" + config.trustPath()
        + "' cannot be read as PEM certificates: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new ConfigException("Invalid configuration: " + TlsConfig.TRUST_PATH + " = '" + config.trustPath()
        + "' holds no certificate");
    }
  }

  private static ConfigException invalid(TlsConfig config, String problem) {
    return new ConfigException("Invalid configuration: " + TlsConfig.CERT_PATH + " = '" + config.certPath() + "' and "
      + TlsConfig.KEY_PATH + " = '" + config.keyPath() + "' " + problem);
  }
}
