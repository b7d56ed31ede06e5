package de.ackservice.overload;

import de.ackservice.overload.HandshakeFailures.Reason;
import de.ackservice.overload.HandshakeFailures.Stage;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.concurrent.Future;

import javax.net.ssl.SSLException;
import java.net.SocketAddress;

/**
 * First handler of an accepted TLS connection: when the connection closes, it looks at the TLS handshake's outcome in
 * Netty's {@link SslHandler} (which Vert.x added behind it) and, if the handshake failed or ran out of time, logs and
 * counts it with the socket's remote address. Vert.x reports such a failure only to the server's exception handler,
 * with the cause and without the connection, so this is where the address is known. The close always follows the
 * failure (the SslHandler closes the channel), so every failed handshake is seen here exactly once.
 */
final class TlsHandshakeWatch extends ChannelInboundHandlerAdapter {

  private final HandshakeFailures failures;
  private SocketAddress remote;

  TlsHandshakeWatch(HandshakeFailures failures) {
    this.failures = failures;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    remote = ctx.channel().remoteAddress();
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    // Let the SslHandler see the close first: a client that leaves mid-handshake fails the handshake only then.
    ctx.fireChannelInactive();
    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
    if (ssl == null) {
      return; // with the PROXY protocol: the header never completed, the PROXY stage reports it
    }
    Future<Channel> handshake = ssl.handshakeFuture();
    if (!handshake.isDone() || handshake.isSuccess()) {
      return;
    }
    Throwable cause = handshake.cause();
    if (cause instanceof SslHandshakeTimeoutException) {
      failures.refused(Stage.TLS, Reason.TIMEOUT, remoteOf(ctx), Reason.TIMEOUT.label);
    } else if (HandshakeFailures.causedBy(cause, SSLException.class)
      || HandshakeFailures.causedBy(cause, NotSslRecordException.class)) {
      failures.refused(Stage.TLS, Reason.HANDSHAKE_FAILED, remoteOf(ctx),
        Reason.HANDSHAKE_FAILED.label + ": " + HandshakeFailures.rootMessage(cause));
    } else {
      failures.leftDuringHandshake(remoteOf(ctx), cause);
    }
  }

  private String remoteOf(ChannelHandlerContext ctx) {
    return HandshakeFailures.describe(remote != null ? remote : ctx.channel().remoteAddress());
  }
}
