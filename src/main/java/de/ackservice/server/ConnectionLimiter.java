package de.ackservice.server;

import java.util.ArrayDeque;

/**
 * Counts served connections across all verticle instances (so across event loops, hence the locking) and keeps the
 * connections that wait for a slot in arrival order. A freed slot passes straight to the oldest waiter, so a
 * newcomer can never overtake the queue.
 */
public final class ConnectionLimiter {

  /** A connection held unread until it is given a slot. */
  public interface Waiter {
    /** Called once, on any thread, when the slot is this waiter's; it must release the slot if it cannot use it. */
    void admit();
  }

  private final int maxConnections;
  private final int maxQueued;
  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
  private int active;

  /**
   * @param maxConnections the most connections served at once; 0 means no limit
   * @param maxQueued the most connections waiting for a slot; 0 means no bound
   */
  public ConnectionLimiter(int maxConnections, int maxQueued) {
    this.maxConnections = maxConnections;
    this.maxQueued = maxQueued;
  }

  public synchronized boolean tryAcquire() {
    if (maxConnections == 0 || active < maxConnections) {
      active++;
      return true;
    }
    return false;
  }

  /** @return false when {@code maxQueued} connections are already waiting: the waiter is not queued */
  public synchronized boolean enqueue(Waiter waiter) {
    if (maxQueued > 0 && waiting.size() >= maxQueued) {
      return false;
    }
    waiting.addLast(waiter);
    return true;
  }

  /** @return true if the waiter was still queued, false if a slot has already been handed to it */
  public synchronized boolean withdraw(Waiter waiter) {
    return waiting.remove(waiter);
  }

  public void release() {
    Waiter next;
    synchronized (this) {
      next = waiting.pollFirst();
      if (next == null) {
        active--;
        return;
      }
    }
    next.admit();
  }

  public synchronized int active() {
    return active;
  }

  public synchronized int queued() {
    return waiting.size();
  }
}
