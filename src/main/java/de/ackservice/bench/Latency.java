package de.ackservice.bench;

import org.HdrHistogram.Histogram;

/** Latency figures of the measured messages, in microseconds from send to acknowledgement. */
public record Latency(long count, long p50, long p90, long p99, long p999, long max, double mean) {

  static Latency of(Histogram micros) {
    if (micros.getTotalCount() == 0) {
      return new Latency(0, 0, 0, 0, 0, 0, 0);
    }
    return new Latency(micros.getTotalCount(),
      micros.getValueAtPercentile(50), micros.getValueAtPercentile(90), micros.getValueAtPercentile(99),
      micros.getValueAtPercentile(99.9), micros.getMaxValue(), micros.getMean());
  }
}
