package de.ackservice.client;

import de.ackservice.transport.BusyPollingIoHandler;

import java.util.concurrent.TimeUnit;

/**
 * Keeps the client's event loop polling its socket, instead of going to sleep, for a bounded time while a reply is
 * due ({@code clientBusyPollMicros}), so that a quick reply finds the thread awake.
 *
 * <p>Why: in stop-and-wait every line costs one round trip, and on an otherwise idle machine each round trip also
 * costs two wake-ups of a sleeping core, one at the server and one here. On this kind of machine (a VM) a wake-up
 * costs more than the round trip itself. Polling costs CPU, so it is bounded per wait: after the budget the loop
 * sleeps as usual, and a slow server costs at most the budget per line. The loop is kept awake by
 * {@link BusyPollingIoHandler} (the client's transport is a {@code PollableTransport}); on any other event loop
 * this does nothing.
 */
final class ReplyPoller {

  private final long budgetNanos;
  /** The session's event loop's handler; null when polling is off or the loop cannot be kept awake. */
  private final BusyPollingIoHandler loop;

  /**
   * Made on the session's event loop, whose handler it looks up once.
   *
   * @param budgetMicros {@code clientBusyPollMicros}; 0 never polls
   */
  ReplyPoller(int budgetMicros) {
    this.budgetNanos = TimeUnit.MICROSECONDS.toNanos(budgetMicros);
    this.loop = budgetMicros > 0 ? BusyPollingIoHandler.ofThisLoop().orElse(null) : null;
  }

  /** On the event loop: a line was sent or a reply came with more lines in flight; the budget counts from now. */
  void replyDue() {
    if (loop != null) {
      loop.keepAwakeFor(budgetNanos);
    }
  }

  /** On the event loop: nothing is awaited any more. */
  void nothingDue() {
    if (loop != null) {
      loop.letSleep();
    }
  }
}
