package de.ackservice.transport;

import io.vertx.core.transport.Transport;

/**
 * A Vert.x transport that is the one it wraps (name, availability) with its own implementation: the base of the
 * transports that change one thing of it (the server's accept gate, the client's polling event loops). The
 * implementation usually extends {@link DelegatingTransportSpi} around {@code base.implementation()}.
 */
public abstract class DelegatingTransport implements Transport {

  protected final Transport base;

  protected DelegatingTransport(Transport base) {
    this.base = base;
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
}
