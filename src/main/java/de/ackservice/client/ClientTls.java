package de.ackservice.client;

import de.ackservice.Causes;
import de.ackservice.config.ClientTlsConfig;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

import javax.net.ssl.SSLException;

/**
 * The client's side of TLS: the options that make the connection verify the server, and messages that say in the
 * client's words why a handshake failed, instead of the JDK's.
 */
final class ClientTls {

  private ClientTls() {
  }

  static NetClientOptions apply(ClientTlsConfig tls, NetClientOptions options) {
    if (!tls.enabled()) {
      return options;
    }
    // HTTPS rules: the certificate must name the host we connect to (clientHost), as for a browser.
    options.setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
    if (!tls.trustPath().isEmpty()) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(tls.trustPath()));
    }
    if (tls.presentsCertificate()) {
      options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certPath()).setKeyPath(tls.keyPath()));
    }
    return options;
  }

  /** A TLS failure explained, or null when {@code error} is not one. */
  static String explain(Throwable error, ClientTlsConfig tls) {
    String detail = null;
    for (Throwable cause : Causes.chain(error)) {
      if (cause instanceof SSLException || cause.getClass().getName().startsWith("io.netty.handler.ssl.")) {
        detail = String.valueOf(cause.getMessage());
      }
    }
    if (detail == null || !tls.enabled()) {
      return null;
    }
    String trusted = tls.trustPath().isEmpty() ? "dem Standard-Truststore der JVM" : "clientTlsTrustPath ("
      + tls.trustPath() + ")";
    String why;
    if (detail.contains("PKIX") || detail.contains("certification path")) {
      why = "das Zertifikat des Servers ist nicht von " + trusted + " beglaubigt";
    } else if (detail.contains("No name matching") || detail.contains("No subject alternative")) {
      why = "das Zertifikat des Servers gilt nicht für den Namen in clientHost";
    } else if (detail.contains("Unrecognized SSL message") || detail.contains("not an SSL/TLS record")) {
      why = "der Server spricht kein TLS";
    } else if (detail.contains("certificate_required") || detail.contains("bad_certificate")
      || detail.contains("certificate_unknown") || detail.contains("unknown_ca")) {
      why = "der Server hat das Client-Zertifikat abgelehnt oder verlangt eines (clientTlsCertPath, clientTlsKeyPath)";
    } else {
      why = "der TLS-Handshake ist fehlgeschlagen";
    }
    return "TLS: " + why + ": " + detail;
  }
}
