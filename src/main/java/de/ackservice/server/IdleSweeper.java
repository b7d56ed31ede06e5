package de.ackservice.server;

import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Closes connections of one event loop that have sent nothing for the idle timeout. A connection only raises a flag
 * when it reads (one field write on the hot path); a timer at a quarter of the timeout looks at the flags, so a
 * quiet connection is closed between 1 and 1.5 timeouts after its last byte. Only served connections are tracked:
 * a connection waiting in the queue is not idle, the server is the one not reading it.
 */
final class IdleSweeper {

  /** What the sweeper needs of a connection. Called on the connection's own event loop only. */
  interface Tracked {
    /** @return whether the connection read anything since the last call, clearing the flag */
    boolean takeReadFlag();

    void closeIdle();
  }

  private final Vertx vertx;
  private final long idleNanos;
  /** Each served connection and when it was last seen reading (or when it was first tracked). */
  private final Map<Tracked, Long> quietSince = new HashMap<>();
  private long timerId = -1;

  IdleSweeper(Vertx vertx, int idleTimeoutMs) {
    this.vertx = vertx;
    this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs);
  }

  boolean enabled() {
    return idleNanos > 0;
  }

  /** Must be called on the event loop of the connections it will watch. */
  void start() {
    if (enabled()) {
      long periodMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(idleNanos) / 4);
      timerId = vertx.setPeriodic(periodMs, id -> sweep());
    }
  }

  void stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  void track(Tracked connection) {
    if (enabled()) {
      quietSince.put(connection, System.nanoTime());
    }
  }

  void untrack(Tracked connection) {
    if (enabled()) {
      quietSince.remove(connection);
    }
  }

  private void sweep() {
    long now = System.nanoTime();
    List<Tracked> expired = new ArrayList<>();
    for (Map.Entry<Tracked, Long> entry : quietSince.entrySet()) {
      if (entry.getKey().takeReadFlag()) {
        entry.setValue(now);
      } else if (now - entry.getValue() >= idleNanos) {
        expired.add(entry.getKey());
      }
    }
    // Closed after the loop: a close handler may untrack while we iterate.
    expired.forEach(Tracked::closeIdle);
  }
}
