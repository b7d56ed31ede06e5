package de.ackservice.server;

import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;

import java.util.concurrent.TimeUnit;

/**
 * Keeps one event loop polling instead of sleeping for a bounded time after its last read ({@code eventLoopSpinMicros}).
 *
 * <p>Why: a request that arrives while the loop sleeps pays for waking its thread, and on a virtual machine whose
 * vCPU halted when idle that wake-up costs up to ~100 µs, several times the round trip itself (README "Event-loop
 * spin"). A loop that keeps polling for a few tens of microseconds after activity finds the client's next request
 * without that wake-up. The price is CPU: the loop burns its core for up to the budget after every read batch, so
 * the budget is bounded and off where CPU is paid for (a Kubernetes pod with a CPU limit).
 *
 * <p>How, on Netty's public API: Netty's loop blocks in the transport (io_uring, epoll or NIO alike) only when no
 * task is queued. While spinning, one task is kept queued. A task that re-queued itself from its own run would be
 * run again in the same drain of the task queue (Netty drains until the queue is empty) and starve the sockets, so
 * the spin alternates between two queues: {@link #afterTasks} runs once the loop's tasks are drained, and queues
 * {@link #beforeNextPoll}, which makes the next poll of the transport non-blocking and, when run, queues
 * {@link #afterTasks} for the end of that iteration. One poll per iteration; nothing is allocated.
 *
 * <p>Confined to its event loop: every method runs on it.
 */
final class EventLoopSpin {

  private final long budgetNanos;
  private SingleThreadEventLoop loop;
  private long lastActivityNanos;
  private boolean spinning;
  private long polls;

  private final Runnable afterTasks = this::afterTasks;
  private final Runnable beforeNextPoll = this::beforeNextPoll;

  /** @param budgetMicros how long the loop keeps polling after its last read batch; 0 turns spinning off */
  EventLoopSpin(int budgetMicros) {
    this.budgetNanos = TimeUnit.MICROSECONDS.toNanos(budgetMicros);
  }

  /**
   * A read batch was handled on {@code eventLoop}: keep it polling for the budget from now. An event loop of another
   * kind than Netty's single-thread loops (not the case with Vert.x's transports) simply sleeps as before.
   */
  void activity(EventLoop eventLoop) {
    if (budgetNanos == 0) {
      return;
    }
    if (loop == null) {
      if (!(eventLoop instanceof SingleThreadEventLoop singleThread)) {
        return;
      }
      loop = singleThread;
    } else if (eventLoop != loop) {
      return; // a connection on another loop than this instance's (not expected): not ours to keep awake
    }
    lastActivityNanos = System.nanoTime();
    if (!spinning) {
      spinning = true;
      loop.execute(beforeNextPoll);
    }
  }

  /** Whether the loop is being kept awake now. */
  boolean spinning() {
    return spinning;
  }

  /** How many iterations of its loop (each one non-blocking poll of the transport) this has caused so far. */
  long polls() {
    return polls;
  }

  private void beforeNextPoll() {
    loop.executeAfterEventLoopIteration(afterTasks);
  }

  private void afterTasks() {
    if (System.nanoTime() - lastActivityNanos < budgetNanos && !loop.isShuttingDown()) {
      polls++;
      loop.execute(beforeNextPoll);
    } else {
      spinning = false;
    }
  }
}
