package de.ackservice.transport;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoRegistration;

import java.util.Optional;

/**
 * A Netty I/O handler (epoll, io_uring or NIO) whose event loop can be kept awake for a while: until the deadline
 * set by {@link #keepAwakeFor(long)} it polls for I/O without waiting, then it waits as usual.
 *
 * <p>Why: on an otherwise idle machine a thread that waits lets its core sleep, and waking it when the awaited reply
 * comes costs tens of microseconds, on a VM more than a loopback round trip (see {@code client/ReplyPoller}).
 *
 * <p>How, on Netty's public API: Netty asks {@link IoHandlerContext#canBlock()} and the deadline before each wait;
 * while the budget lasts this handler answers "no" (epoll, NIO) or "until now" (io_uring, see the constructor). A
 * task that queued itself again would not do: Netty runs queued tasks for up to 100 ms before it polls I/O again.
 */
public final class BusyPollingIoHandler implements IoHandler {

  /** The handler of the event loop running on this thread, set when the loop starts. */
  private static final ThreadLocal<BusyPollingIoHandler> OF_THIS_LOOP = new ThreadLocal<>();

  private final IoHandler delegate;
  /** io_uring: poll by waiting with a zero timeout, which also makes the kernel post deferred completions. */
  private final boolean pollByZeroWait;
  private IoHandlerContext lastContext;
  private IoHandlerContext awake;
  private boolean keptAwake;
  private long awakeUntilNanos;

  /**
   * @param pollByZeroWait poll by letting the handler wait with a timeout of zero rather than not wait at all: an
   *                       io_uring ring defers completing operations (IORING_SETUP_DEFER_TASKRUN) until the loop
   *                       enters the kernel to wait, so a loop that never waits would not see a reply
   */
  BusyPollingIoHandler(IoHandler delegate, boolean pollByZeroWait) {
    this.delegate = delegate;
    this.pollByZeroWait = pollByZeroWait;
  }

  /**
   * Called on an event loop (once, when what keeps it awake is set up): its handler, or empty on a thread that is
   * not the event loop of a {@link PollableTransport}.
   */
  public static Optional<BusyPollingIoHandler> ofThisLoop() {
    return Optional.ofNullable(OF_THIS_LOOP.get());
  }

  /** On its event loop: keeps it polling for up to {@code nanos} from now (a later call moves the deadline). */
  public void keepAwakeFor(long nanos) {
    keptAwake = true;
    awakeUntilNanos = System.nanoTime() + nanos;
  }

  /** On its event loop: it may wait again from now on. */
  public void letSleep() {
    keptAwake = false;
  }

  @Override
  public void initialize() {
    OF_THIS_LOOP.set(this);
    delegate.initialize();
  }

  @Override
  public int run(IoHandlerContext context) {
    if (keptAwake && System.nanoTime() - awakeUntilNanos < 0) {
      return delegate.run(awake(context));
    }
    keptAwake = false;
    return delegate.run(context);
  }

  /**
   * {@code context}, except that the loop never waits: it polls, or waits with a zero timeout (made once: the loop
   * passes the same context every time).
   */
  private IoHandlerContext awake(IoHandlerContext context) {
    if (context != lastContext) {
      lastContext = context;
      awake = new IoHandlerContext() {
        @Override
        public boolean canBlock() {
          return pollByZeroWait && context.canBlock();
        }

        @Override
        public long delayNanos(long currentTimeNanos) {
          return pollByZeroWait ? 0 : context.delayNanos(currentTimeNanos);
        }

        @Override
        public long deadlineNanos() {
          return pollByZeroWait ? System.nanoTime() : context.deadlineNanos();
        }

        @Override
        public void reportActiveIoTime(long activeNanos) {
          context.reportActiveIoTime(activeNanos);
        }

        @Override
        public boolean shouldReportActiveIoTime() {
          return context.shouldReportActiveIoTime();
        }
      };
    }
    return awake;
  }

  @Override
  public void prepareToDestroy() {
    delegate.prepareToDestroy();
  }

  @Override
  public void destroy() {
    OF_THIS_LOOP.remove();
    delegate.destroy();
  }

  @Override
  public IoRegistration register(IoHandle handle) throws Exception {
    return delegate.register(handle);
  }

  @Override
  public void wakeup() {
    delegate.wakeup();
  }

  @Override
  public boolean isCompatible(Class<? extends IoHandle> handleType) {
    return delegate.isCompatible(handleType);
  }
}
