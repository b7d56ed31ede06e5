package de.ackservice.overload;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetServerOptions;
import io.netty.bootstrap.Bootstrap;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.transport.Transport;

import java.util.concurrent.ThreadFactory;

/**
 * A Vert.x transport (whichever the process runs on: epoll, io_uring, NIO) with one addition, through Vert.x's public
 * transport SPI: the listening socket of the ack server gets the {@link AcceptGate} (keepalive timing, the PROXY header
 * gate, the TLS handshake watch). Everything else is the base transport's. The gate comes from the configuration,
 * which is read on the Vert.x instance this transport is built into, hence {@link #use(AcceptGate)} after the fact,
 * before the server listens.
 *
 * <p>Hooks: {@code builder.withTransport(gated = new GatedTransport(base))} where the Vertx is built, and
 * {@code gated.use(gate)} once the configuration is read. HTTP servers (the management endpoint) are left alone.
 */
public final class GatedTransport implements Transport {

  private final Transport base;
  private volatile AcceptGate gate;

  public GatedTransport(Transport base) {
    this.base = base;
  }

  /** The gate for ack servers that listen from now on. */
  public void use(AcceptGate gate) {
    this.gate = gate;
  }

  @Override
  public String name() {
    return base.name();
  }

  @Override
  public boolean available() {
    return base.available();
  }

  @Override
  public Throwable unavailabilityCause() {
    return base.unavailabilityCause();
  }

  @Override
  public io.vertx.core.spi.transport.Transport implementation() {
    return new Implementation(base.implementation());
  }

  private final class Implementation implements io.vertx.core.spi.transport.Transport {
    private final io.vertx.core.spi.transport.Transport spi;

    Implementation(io.vertx.core.spi.transport.Transport spi) {
      this.spi = spi;
    }

    @Override
    public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
      spi.configure(options, domainSocket, bootstrap);
      AcceptGate current = gate;
      if (current != null && !domainSocket && !(options instanceof HttpServerOptions)) {
        current.configure(options, base.name(), bootstrap);
      }
    }

    @Override
    public boolean supportsDomainSockets() {
      return spi.supportsDomainSockets();
    }

    @Override
    public boolean supportFileRegion() {
      return spi.supportFileRegion();
    }

    @Override
    public boolean isAvailable() {
      return spi.isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
      return spi.unavailabilityCause();
    }

    @Override
    public java.net.SocketAddress convert(SocketAddress address) {
      return spi.convert(address);
    }

    @Override
    public SocketAddress convert(java.net.SocketAddress address) {
      return spi.convert(address);
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
      return spi.ioHandlerFactory();
    }

    @Override
    public EventLoopGroup eventLoopGroup(int type, int threads, ThreadFactory threadFactory, int ioRatio) {
      return spi.eventLoopGroup(type, threads, threadFactory, ioRatio);
    }

    @Override
    public DatagramChannel datagramChannel() {
      return spi.datagramChannel();
    }

    @Override
    public DatagramChannel datagramChannel(InternetProtocolFamily family) {
      return spi.datagramChannel(family);
    }

    @Override
    public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
      return spi.channelFactory(domainSocket);
    }

    @Override
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
      return spi.serverChannelFactory(domainSocket);
    }

    @Override
    public void configure(DatagramChannel channel, DatagramSocketOptions options) {
      spi.configure(channel, options);
    }

    @Override
    public void configure(ClientOptionsBase options, int connectTimeout, boolean domainSocket, Bootstrap bootstrap) {
      spi.configure(options, connectTimeout, domainSocket, bootstrap);
    }
  }
}
