package de.ackservice.server;

import de.ackservice.overload.AcceptGate;
import de.ackservice.overload.HandshakeFailures;
import de.ackservice.overload.HandshakeFailures.Reason;
import de.ackservice.overload.HandshakeFailures.Stage;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;

/**
 * The server's exception handler: connections that failed before they became connections. Vert.x reports them here
 * with the cause only, without the connection. A malformed PROXY header is reported from inside the PROXY header
 * gate's read, which tells its address; a failed TLS handshake is logged and counted by the TLS handshake watch when
 * the connection closes (it knows the address), so here only where no watch is installed (a Vert.x without the
 * {@link de.ackservice.overload.GatedTransport}), without the address. Each is logged once, never per message.
 */
final class SetupFailures {

  private static final Logger log = LoggerFactory.getLogger(AckConnection.class);

  private final HandshakeFailures handshakes;
  private final AcceptGate gate;

  SetupFailures(HandshakeFailures handshakes, AcceptGate gate) {
    this.handshakes = handshakes;
    this.gate = gate;
  }

  void onFailure(Throwable failure) {
    if (HandshakeFailures.causedBy(failure, HAProxyProtocolException.class)) {
      handshakes.refused(Stage.PROXY, Reason.BAD_HEADER, HandshakeFailures.proxyConnectionBeingRead(),
        Reason.BAD_HEADER.label + ": " + HandshakeFailures.rootMessage(failure));
    } else if (isTls(failure)) {
      if (!gate.watchesTls()) {
        boolean timeout = HandshakeFailures.causedBy(failure, SslHandshakeTimeoutException.class);
        Reason reason = timeout ? Reason.TIMEOUT : Reason.HANDSHAKE_FAILED;
        handshakes.refused(Stage.TLS, reason, null,
          timeout ? reason.label : reason.label + ": " + HandshakeFailures.rootMessage(failure));
      }
    } else {
      log.debug("connection failed before it was served", failure);
    }
  }

  private static boolean isTls(Throwable failure) {
    return HandshakeFailures.causedBy(failure, SSLException.class)
      || HandshakeFailures.causedBy(failure, NotSslRecordException.class);
  }
}
