package de.ackservice.bench;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The phases of a run as every connection sees them: warm-up, then the measured window, then no more sending.
 * A message belongs to the window when it is <em>sent</em> in it, so every measured message is counted once its
 * answer arrives, and in count mode exactly the requested number is sent. Read from all event loops; written
 * once, by {@link #begin}, before any connection sends.
 */
final class RunSchedule {

  enum Admission { WARMUP, MEASURED, STOP }

  private final long warmupNanos;
  private final long durationNanos;
  /** Measured messages not yet sent, in count mode; {@code null} in duration mode. */
  private final AtomicLong quota;
  private volatile long measureFrom;
  private volatile long measureUntil;

  RunSchedule(BenchOptions options) {
    this.warmupNanos = options.warmup().toNanos();
    this.durationNanos = options.countsMessages() ? 0 : options.duration().toNanos();
    this.quota = options.countsMessages() ? new AtomicLong(options.messages()) : null;
  }

  /** Traffic starts now: the window opens after the warm-up. */
  void begin(long nowNanos) {
    measureFrom = nowNanos + warmupNanos;
    measureUntil = measureFrom + durationNanos;
  }

  long measureFrom() {
    return measureFrom;
  }

  Duration warmup() {
    return Duration.ofNanos(warmupNanos);
  }

  /** May a message be sent at {@code nowNanos}, and does it count? A STOP is final for the caller. */
  Admission admit(long nowNanos) {
    if (nowNanos - measureFrom < 0) {
      return Admission.WARMUP;
    }
    if (quota == null) {
      return nowNanos - measureUntil < 0 ? Admission.MEASURED : Admission.STOP;
    }
    // Shared by all connections so that connections that fail leave their share to the others.
    long left;
    do {
      left = quota.get();
      if (left <= 0) {
        return Admission.STOP;
      }
    } while (!quota.compareAndSet(left, left - 1));
    return Admission.MEASURED;
  }
}
