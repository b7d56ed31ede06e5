package de.ackservice.bench;

import io.vertx.core.json.JsonObject;

import java.util.Locale;

/** The report as a table for people and as JSON for scripts: the same figures in both. */
public final class ReportFormat {

  private ReportFormat() {
  }

  public static String table(Report report) {
    BenchOptions o = report.options();
    Latency l = report.latency();
    StringBuilder out = new StringBuilder();
    row(out, "target", o.host() + ":" + o.port());
    row(out, "load", String.format(Locale.ROOT, "%s framing, %s, %d connection%s, %d-byte messages",
      name(o.framing()), o.mode() == Mode.PIPE ? "pipelined " + o.depth() + " in flight" : "stop-and-wait",
      o.connections(), o.connections() == 1 ? "" : "s", o.size()));
    row(out, "run", String.format(Locale.ROOT, "ramp %.3f s, warm-up %s s, measured %s; %d event loop%s, %s",
      report.rampSeconds(), seconds(o.warmup().toNanos()),
      o.countsMessages() ? o.messages() + " messages" : seconds(o.duration().toNanos()) + " s",
      o.eventLoops(), o.eventLoops() == 1 ? "" : "s", report.transport()));
    row(out, "window", String.format(Locale.ROOT, "%.3f s", report.windowSeconds()));
    row(out, "acks/s", String.format(Locale.ROOT, "%,.0f", report.acksPerSecond()));
    row(out, "acks", String.format(Locale.ROOT, "%,d measured, %,d in all", report.acks(), report.acksTotal()));
    row(out, "latency (µs)", String.format(Locale.ROOT, "%8s %8s %8s %8s %8s", "p50", "p90", "p99", "p99.9", "max"));
    row(out, "", String.format(Locale.ROOT, "%8d %8d %8d %8d %8d", l.p50(), l.p90(), l.p99(), l.p999(), l.max()));
    row(out, "connections", String.format(Locale.ROOT,
      "%,d ok, %,d failed (connect %d, lost %d, broken %d, timed out %d)", report.connectionsOk(),
      report.connectionsFailed(), report.connectFailed(), report.lost(), report.broken(), report.timedOut()));
    row(out, "errors", String.format(Locale.ROOT, "%,d (wrong answers %,d, unanswered messages %,d)",
      report.errors(), report.wrongAnswers(), report.unanswered()));
    row(out, "unexpected bytes", String.format(Locale.ROOT, "%,d", report.unexpectedBytes()));
    if (report.firstError() != null) {
      row(out, "first error", report.firstError());
    }
    return out.toString();
  }

  public static JsonObject json(Report report) {
    BenchOptions o = report.options();
    Latency l = report.latency();
    return new JsonObject()
      .put("host", o.host())
      .put("port", o.port())
      .put("framing", name(o.framing()))
      .put("mode", name(o.mode()))
      .put("connections", o.connections())
      .put("depth", o.depth())
      .put("size", o.size())
      .put("warmupSeconds", o.warmup().toNanos() / 1e9)
      .put("durationSeconds", o.countsMessages() ? null : o.duration().toNanos() / 1e9)
      .put("messages", o.countsMessages() ? o.messages() : null)
      .put("eventLoops", o.eventLoops())
      .put("transport", report.transport())
      .put("rampSeconds", report.rampSeconds())
      .put("windowSeconds", report.windowSeconds())
      .put("acksPerSecond", report.acksPerSecond())
      .put("acks", report.acks())
      .put("acksTotal", report.acksTotal())
      .put("latencyMicros", new JsonObject()
        .put("count", l.count())
        .put("p50", l.p50())
        .put("p90", l.p90())
        .put("p99", l.p99())
        .put("p999", l.p999())
        .put("max", l.max())
        .put("mean", l.mean()))
      .put("connectionsOk", report.connectionsOk())
      .put("connectionsFailed", report.connectionsFailed())
      .put("connectFailed", report.connectFailed())
      .put("lost", report.lost())
      .put("broken", report.broken())
      .put("timedOut", report.timedOut())
      .put("errors", report.errors())
      .put("wrongAnswers", report.wrongAnswers())
      .put("unanswered", report.unanswered())
      .put("unexpectedBytes", report.unexpectedBytes())
      .put("firstError", report.firstError());
  }

  private static void row(StringBuilder out, String label, String value) {
    out.append(String.format(Locale.ROOT, "%-17s %s%n", label, value));
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e9).replaceAll("\\.?0+$", "");
  }

  private static String name(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
