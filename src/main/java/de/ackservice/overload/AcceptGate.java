package de.ackservice.overload;

import de.ackservice.config.KeepAliveConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.net.NetServerOptions;

/**
 * What the ack server's listening socket does to each accepted channel before Vert.x sees it (through
 * {@link GatedTransport}): keepalive timing as child options, and, first in the channel's pipeline, the PROXY header
 * gate (with {@code proxyProtocol}) and the TLS handshake watch (with TLS), both of which know the socket's address
 * where Vert.x reports only a cause. One per service; built from the configuration.
 */
public final class AcceptGate {

  private final HandshakeFailures failures;
  private final KeepAliveConfig keepAlive;
  private volatile boolean watchesTls;

  AcceptGate(HandshakeFailures failures, KeepAliveConfig keepAlive) {
    this.failures = failures;
    this.keepAlive = keepAlive;
  }

  /** For the listening socket of an ack server about to bind. */
  void configure(NetServerOptions options, String transport, ServerBootstrap bootstrap) {
    if (options.isTcpKeepAlive() && keepAlive.enabled()) {
      KeepAliveTiming.apply(bootstrap, transport, keepAlive);
    }
    boolean proxy = options.isUseProxyProtocol();
    boolean tls = options.isSsl();
    if (!proxy && !tls) {
      return;
    }
    long proxyDeadlineMs = options.getProxyProtocolTimeoutUnit().toMillis(options.getProxyProtocolTimeout());
    if (tls) {
      watchesTls = true;
    }
    // Vert.x never sets the bootstrap's own handler (the listening channel's): its accepted children pass through it
    // as messages before they are registered and initialised, so what is added here comes first in their pipeline.
    bootstrap.handler(new InstallOnAccept(proxy, tls, proxyDeadlineMs));
  }

  /**
   * True once a TLS server's accepted channels are watched here: the server's exception handler then leaves TLS
   * failures to the watch, which logs them with the address (and counts them once).
   */
  public boolean watchesTls() {
    return watchesTls;
  }

  @ChannelHandler.Sharable
  private final class InstallOnAccept extends ChannelInboundHandlerAdapter {
    private final boolean proxy;
    private final boolean tls;
    private final long proxyDeadlineMs;

    InstallOnAccept(boolean proxy, boolean tls, long proxyDeadlineMs) {
      this.proxy = proxy;
      this.tls = tls;
      this.proxyDeadlineMs = proxyDeadlineMs;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Channel child) {
        if (tls) {
          child.pipeline().addFirst("tlsHandshakeWatch", new TlsHandshakeWatch(failures));
        }
        if (proxy) {
          child.pipeline().addFirst("proxyHeaderGate", new ProxyHeaderGate(failures, proxyDeadlineMs));
        }
      }
      ctx.fireChannelRead(msg);
    }
  }
}
