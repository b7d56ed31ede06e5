package de.ackservice.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.vertx.core.transport.Transport;

import java.util.concurrent.ThreadFactory;

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

      @Override
      public EventLoopGroup eventLoopGroup(int type, int threads, ThreadFactory threadFactory, int ioRatio) {
        // What Vert.x's default does, with these handlers.
        return new MultiThreadIoEventLoopGroup(threads, threadFactory, ioHandlerFactory());
      }
    };
  }
}
