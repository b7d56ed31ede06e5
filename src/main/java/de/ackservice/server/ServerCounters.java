package de.ackservice.server;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Service-wide counters, updated from every event loop. LongAdder keeps the per-message increments uncontended;
 * these are what logs, tests and the metrics (read at scrape time, not per message) read.
 */
public final class ServerCounters {

  final LongAdder messages = new LongAdder();
  final LongAdder bytesReceived = new LongAdder();
  final LongAdder connectionsOpened = new LongAdder();
  final LongAdder connectionsClosed = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder queued = new LongAdder();
  final LongAdder idleClosed = new LongAdder();
  final LongAdder linesTooLong = new LongAdder();
  final LongAdder backpressurePauses = new LongAdder();
  final LongAdder slowReaders = new LongAdder();
  final LongAdder queueFullRejected = new LongAdder();
  final LongAdder closesAborted = new LongAdder();
  final AtomicLong open = new AtomicLong();

  /** Messages received, each of which was answered with one acknowledgement. */
  public long messages() {
    return messages.sum();
  }

  public long bytesReceived() {
    return bytesReceived.sum();
  }

  public long connectionsOpened() {
    return connectionsOpened.sum();
  }

  public long connectionsClosed() {
    return connectionsClosed.sum();
  }

  /** Connections currently open, served or queued. */
  public long openConnections() {
    return open.get();
  }

  public long rejected() {
    return rejected.sum();
  }

  public long queued() {
    return queued.sum();
  }

  public long idleClosed() {
    return idleClosed.sum();
  }

  public long linesTooLong() {
    return linesTooLong.sum();
  }

  /** How often a connection stopped being read because its client was not reading its acknowledgements. */
  public long backpressurePauses() {
    return backpressurePauses.sum();
  }

  /** Connections closed because their acknowledgements waited writeStallTimeoutMs unread (reason slow reader). */
  public long slowReaders() {
    return slowReaders.sum();
  }

  /** Connections closed at once because maxQueuedConnections were already waiting for a slot. */
  public long queueFullRejected() {
    return queueFullRejected.sum();
  }

  /** Server-decided closes that ended with a reset because the client did not take what was left to send in time. */
  public long closesAborted() {
    return closesAborted.sum();
  }
}
