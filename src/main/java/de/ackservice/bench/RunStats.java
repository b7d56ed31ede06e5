package de.ackservice.bench;

import org.HdrHistogram.Histogram;

/**
 * What one event loop's connections counted: written by that loop only (no contention on the hot path), merged
 * by {@link LoadGenerator} once the loop has finished. Latencies are in microseconds.
 */
final class RunStats {

  final Histogram latencyMicros = new Histogram(3);
  /** Acknowledgements of measured messages. */
  long acks;
  /** Acknowledgements of all messages, warm-up included. */
  long acksTotal;
  /** Lines that were not the acknowledgement, answers with no message in flight, and raw bytes that broke the ack stream. */
  long wrongAnswers;
  long unexpectedBytes;
  /** Messages in flight on a connection that was lost or timed out. */
  long unanswered;
  long connectFailed;
  /** Connections closed or reset by the server before the run was over. */
  long lost;
  /** Connections closed by the load generator after a wrong answer. */
  long broken;
  /** Connections closed by the load generator because an answer took longer than the timeout. */
  long timedOut;
  long lastMeasuredAnswerNanos;
  boolean anyMeasuredAnswer;
  String firstError;

  void recordLatency(long nanos) {
    latencyMicros.recordValue((nanos + 500) / 1000);
  }

  void measuredAnswerAt(long nanos) {
    if (!anyMeasuredAnswer || nanos - lastMeasuredAnswerNanos > 0) {
      lastMeasuredAnswerNanos = nanos;
      anyMeasuredAnswer = true;
    }
  }

  void error(String description) {
    if (firstError == null) {
      firstError = description;
    }
  }

  long failedConnections() {
    return Report.connectionsFailed(connectFailed, lost, broken, timedOut);
  }

  long errors() {
    return Report.errors(connectFailed, lost, timedOut, wrongAnswers);
  }

  /** A copy for another thread, taken on the owning event loop. */
  RunStats copy() {
    RunStats copy = new RunStats();
    copy.add(this);
    return copy;
  }

  void add(RunStats other) {
    latencyMicros.add(other.latencyMicros);
    acks += other.acks;
    acksTotal += other.acksTotal;
    wrongAnswers += other.wrongAnswers;
    unexpectedBytes += other.unexpectedBytes;
    unanswered += other.unanswered;
    connectFailed += other.connectFailed;
    lost += other.lost;
    broken += other.broken;
    timedOut += other.timedOut;
    if (other.anyMeasuredAnswer) {
      measuredAnswerAt(other.lastMeasuredAnswerNanos);
    }
    if (firstError == null) {
      firstError = other.firstError;
    }
  }
}
