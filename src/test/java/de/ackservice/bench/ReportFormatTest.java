package de.ackservice.bench;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The table and the JSON carry the same figures. */
class ReportFormatTest {

  private final Report report = new Report(
    BenchOptionsParser.parse("--connections", "100", "--duration", "4", "--warmup", "1", "--event-loops", "1"), "epoll",
    0.25, 4.0, 400_000, 450_000, new Latency(400_000, 52, 70, 120, 400, 3000, 55.5),
    97, 1, 1, 0, 1, 2, 3, 56, "connect to 127.0.0.1:5000: Connection refused");

  @Test
  void theTableShowsRateLatencyConnectionsAndErrors() {
    String table = ReportFormat.table(report);
    assertTrue(table.contains("acks/s            100,000"), table);
    assertTrue(table.matches("(?s).*p50\\s+p90\\s+p99\\s+p99\\.9\\s+max.*"), table);
    assertTrue(table.matches("(?s).*\\s52\\s+70\\s+120\\s+400\\s+3000\\s.*"), table);
    assertTrue(table.contains("97 ok, 3 failed (connect 1, lost 1, broken 0, timed out 1)"), table);
    assertTrue(table.contains("errors            5 (wrong answers 2, unanswered messages 3)"), table);
    assertTrue(table.contains("unexpected bytes  56"), table);
    assertTrue(table.contains("first error       connect to 127.0.0.1:5000: Connection refused"), table);
    assertTrue(table.contains("raw framing, stop-and-wait, 100 connections, 16-byte messages"), table);
    assertTrue(table.contains("1 event loop, epoll"), table);
  }

  @Test
  void theJsonHasTheSameFigures() {
    JsonObject json = ReportFormat.json(report);
    assertEquals(100_000.0, json.getDouble("acksPerSecond"));
    assertEquals(400_000, json.getLong("acks"));
    assertEquals(450_000, json.getLong("acksTotal"));
    JsonObject latency = json.getJsonObject("latencyMicros");
    assertEquals(52, latency.getLong("p50"));
    assertEquals(70, latency.getLong("p90"));
    assertEquals(120, latency.getLong("p99"));
    assertEquals(400, latency.getLong("p999"));
    assertEquals(3000, latency.getLong("max"));
    assertEquals(97, json.getLong("connectionsOk"));
    assertEquals(3, json.getLong("connectionsFailed"));
    assertEquals(5, json.getLong("errors"));
    assertEquals(3, json.getLong("unanswered"));
    assertEquals(56, json.getLong("unexpectedBytes"));
    assertEquals(4.0, json.getDouble("durationSeconds"));
    assertEquals(null, json.getValue("messages"));
    assertEquals("epoll", json.getString("transport"));
  }
}
