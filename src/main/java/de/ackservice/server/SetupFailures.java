package de.ackservice.server;

import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.handler.ssl.NotSslRecordException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;

/**
 * Connections that failed before they became connections: a TLS handshake that failed (a plaintext client on the
 * TLS port, an untrusted client certificate) or a missing or malformed PROXY protocol header. Vert.x closes them and
 * reports only the cause, without an address; they are counted and logged here, once each, never per message.
 */
final class SetupFailures {

  private static final Logger log = LoggerFactory.getLogger(AckConnection.class);

  private final ServerCounters counters;

  SetupFailures(ServerCounters counters) {
    this.counters = counters;
  }

  void onFailure(Throwable failure) {
    String stage;
    if (causedBy(failure, HAProxyProtocolException.class)) {
      counters.proxyHeaderFailures.increment();
      stage = "proxy";
    } else if (causedBy(failure, SSLException.class) || causedBy(failure, NotSslRecordException.class)) {
      counters.tlsHandshakeFailures.increment();
      stage = "tls";
    } else {
      log.debug("connection failed before it was served", failure);
      return;
    }
    log.atInfo().setMessage("connection refused")
      .addKeyValue("stage", stage)
      .addKeyValue("reason", String.valueOf(rootMessage(failure)))
      .log();
  }

  private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }
}
