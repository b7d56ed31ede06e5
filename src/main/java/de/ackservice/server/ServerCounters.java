package de.ackservice.server;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Service-wide counters, updated from every event loop. LongAdder keeps the per-message increments uncontended;
 * these are what logs, tests and (later) metrics read.
 */
public final class ServerCounters {

  final LongAdder messages = new LongAdder();
  final LongAdder bytesReceived = new LongAdder();
  final LongAdder connectionsOpened = new LongAdder();
  final LongAdder connectionsClosed = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder queued = new LongAdder();
  final LongAdder idleClosed = new LongAdder();
  final LongAdder overLongLines = new LongAdder();
  final LongAdder backpressurePauses = new LongAdder();
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

  public long overLongLines() {
    return overLongLines.sum();
  }

  /** How often a connection stopped being read because its client was not reading its acknowledgements. */
  public long backpressurePauses() {
    return backpressurePauses.sum();
  }
}
