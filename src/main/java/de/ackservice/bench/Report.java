package de.ackservice.bench;

/**
 * The outcome of one run.
 *
 * @param transport        the client's socket transport: {@code io_uring}, {@code epoll} (and why io_uring was not taken) or {@code nio}
 * @param rampSeconds      from the first connect attempt until every connection had connected or failed
 * @param windowSeconds    from the start of the measured window to the last answer of a measured message
 * @param acks             acknowledgements of measured messages (sent inside the window)
 * @param acksTotal        acknowledgements of all messages, warm-up included
 * @param connectionsOk    connections that connected and were not lost, broken or timed out
 * @param connectFailed    connections that could not be opened (refused, unreachable, timed out)
 * @param lost             connections the server closed or reset before the run was over
 * @param broken           connections closed by the load generator after a wrong answer
 * @param timedOut         connections closed by the load generator after waiting longer than the timeout
 * @param wrongAnswers     lines that were not the acknowledgement, answers with nothing in flight, and raw
 *                         bytes that broke the acknowledgement stream
 * @param unanswered       messages in flight on lost, broken or timed-out connections
 * @param unexpectedBytes  received bytes that were not part of an acknowledgement
 * @param firstError       a description of the first problem, or {@code null}
 */
public record Report(
  BenchOptions options,
  String transport,
  double rampSeconds,
  double windowSeconds,
  long acks,
  long acksTotal,
  Latency latency,
  long connectionsOk,
  long connectFailed,
  long lost,
  long broken,
  long timedOut,
  long wrongAnswers,
  long unanswered,
  long unexpectedBytes,
  String firstError) {

  public double acksPerSecond() {
    return windowSeconds > 0 ? acks / windowSeconds : 0;
  }

  public long connectionsFailed() {
    return connectionsFailed(connectFailed, lost, broken, timedOut);
  }

  /** Each problem once: failed connects, lost and timed-out connections, wrong answers. */
  public long errors() {
    return errors(connectFailed, lost, timedOut, wrongAnswers);
  }

  /** Connections that did not last the run, for any reason: the one formula, for live progress and the report. */
  static long connectionsFailed(long connectFailed, long lost, long broken, long timedOut) {
    return connectFailed + lost + broken + timedOut;
  }

  /**
   * Problems counted once each. A broken connection is not counted again: the wrong answer that broke it is.
   * The one formula, for live progress and the report.
   */
  static long errors(long connectFailed, long lost, long timedOut, long wrongAnswers) {
    return connectFailed + lost + timedOut + wrongAnswers;
  }

  /** True when every connection lasted, every answer was the acknowledgement and nothing went unanswered. */
  public boolean clean() {
    return errors() == 0 && connectionsFailed() == 0 && unanswered == 0 && unexpectedBytes == 0;
  }

  static Report of(BenchOptions options, String transport, RunStats stats, long rampNanos, long measureFromNanos) {
    double window = stats.anyMeasuredAnswer ? Math.max(0, stats.lastMeasuredAnswerNanos - measureFromNanos) / 1e9 : 0;
    return new Report(options, transport, rampNanos / 1e9, window, stats.acks, stats.acksTotal, Latency.of(stats.latencyMicros),
      options.connections() - stats.failedConnections(), stats.connectFailed, stats.lost, stats.broken,
      stats.timedOut, stats.wrongAnswers, stats.unanswered, stats.unexpectedBytes, stats.firstError);
  }
}
