package de.ackservice.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.transport.Transport;


/**
 * A Vert.x transport SPI that does everything as the one it wraps: the base of the transports that change one thing
 * (the accept gate of the server, the client's pollable event loops), so each of them overrides only that thing.
 *
 * <p>{@code eventLoopGroup} is deliberately not delegated: the SPI's default builds the loops from
 * {@link #ioHandlerFactory()}, which is what every Vert.x transport does (none overrides it), so a subclass that
 * changes the I/O handlers gets its own loops without copying that default.
 */
public abstract class DelegatingTransportSpi implements Transport {

  protected final Transport spi;

  protected DelegatingTransportSpi(Transport spi) {
    this.spi = spi;
  }

  @Override
  public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
    spi.configure(options, domainSocket, bootstrap);
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
