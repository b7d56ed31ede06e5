package de.ackservice.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.vertx.core.transport.Transport;

import java.util.concurrent.ThreadFactory;

/**
 * The client's transport: the selected one (epoll, io_uring or NIO), with event loops that can be kept polling
 * while a reply is due ({@link BusyPollingIoHandler}, used by {@code client/ReplyPoller}).
 *
 * <p>An io_uring ring is also set up differently: Netty sets its rings up "single issuer" by default, which lets the
 * kernel defer completing an operation until the loop enters the kernel to wait (IORING_SETUP_DEFER_TASKRUN). That
 * is cheaper for a busy server, but a loop that polls without waiting would not see the reply. The client has one
 * connection and gains nothing from deferring, so its ring completes operations as they happen.
 */
public final class PollableTransport implements Transport {

  private final Transport base;

  public PollableTransport(Transport base) {
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

  @Override
  public io.vertx.core.spi.transport.Transport implementation() {
    return new DelegatingTransportSpi(base.implementation()) {
      @Override
      public IoHandlerFactory ioHandlerFactory() {
        IoHandlerFactory handlers = "io_uring".equals(base.name())
          ? IoUringIoHandler.newFactory(new IoUringIoHandlerConfig().setSingleIssuer(false))
          : spi.ioHandlerFactory();
        return executor -> new BusyPollingIoHandler(handlers.newHandler(executor));
      }

      @Override
      public EventLoopGroup eventLoopGroup(int type, int threads, ThreadFactory threadFactory, int ioRatio) {
        // What Vert.x's default does, with these handlers.
        return new MultiThreadIoEventLoopGroup(threads, threadFactory, ioHandlerFactory());
      }
    };
  }
}
