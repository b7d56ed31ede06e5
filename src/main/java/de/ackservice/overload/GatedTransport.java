package de.ackservice.overload;

import de.ackservice.transport.DelegatingTransport;
import de.ackservice.transport.DelegatingTransportSpi;
import io.netty.bootstrap.ServerBootstrap;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.transport.Transport;

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
public final class GatedTransport extends DelegatingTransport {

  private volatile AcceptGate gate;

  public GatedTransport(Transport base) {
    super(base);
  }

  /** The gate for ack servers that listen from now on. */
  public void use(AcceptGate gate) {
    this.gate = gate;
  }

  @Override
  public io.vertx.core.spi.transport.Transport implementation() {
    return new Implementation(base.implementation());
  }

  private final class Implementation extends DelegatingTransportSpi {

    Implementation(io.vertx.core.spi.transport.Transport spi) {
      super(spi);
    }

    @Override
    public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
      spi.configure(options, domainSocket, bootstrap);
      AcceptGate current = gate;
      if (current != null && !domainSocket && !(options instanceof HttpServerOptions)) {
        current.configure(options, base.name(), bootstrap);
      }
    }
  }
}
