package de.ackservice.transport;

import io.netty.channel.IoHandlerFactory;
import io.vertx.core.transport.Transport;

/**
 * The client's transport: the selected one (epoll, io_uring or NIO), with event loops that can be kept polling
 * while a reply is due ({@link BusyPollingIoHandler}, used by {@code client/ReplyPoller}).
 */
public final class PollableTransport extends DelegatingTransport {

  public PollableTransport(Transport base) {
    super(base);
  }

  @Override
  public io.vertx.core.spi.transport.Transport implementation() {
    return new DelegatingTransportSpi(base.implementation()) {
      @Override
      public IoHandlerFactory ioHandlerFactory() {
        IoHandlerFactory handlers = spi.ioHandlerFactory();
        boolean ioUring = "io_uring".equals(base.name());
        return executor -> new BusyPollingIoHandler(handlers.newHandler(executor), ioUring);
      }
    };
  }
}
