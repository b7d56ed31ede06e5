package de.ackservice.server;

import ch.qos.logback.classic.Level;
import de.ackservice.support.Acks;
import de.ackservice.support.BlockingClient;
import de.ackservice.support.Conditions;
import de.ackservice.support.LogCapture;
import de.ackservice.support.MetricsScraper;
import de.ackservice.support.PrometheusText;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * maxQueuedConnections: with the queue full, one more connection is closed at once, logged and counted; the waiting
 * ones keep their place and are served in turn.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QueueBoundTest {

  @RegisterExtension
  final MetricsScraper metrics = new MetricsScraper();
  @RegisterExtension
  final LogCapture capture = LogCapture.attach(AckConnection.class, Level.INFO);

  @Test
  void overTheQueueBoundAConnectionIsClosedAtOnceLoggedAndCounted() throws Exception {
    ServerState server = metrics.start(new JsonObject().put("instances", 1).put("maxConnections", 1)
      .put("overLimitPolicy", "queue").put("maxQueuedConnections", 1));
    try (BlockingClient served = new BlockingClient(server.port());
         BlockingClient waiting = new BlockingClient(server.port())) {
      assertThat(served.send("a").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
      waiting.send("b");
      Conditions.awaitBlocking(metrics.vertx, "the second waits", () -> server.counters().queued() == 1);
      try (BlockingClient beyond = new BlockingClient(server.port())) {
        assertThat(beyond.send("c").readToEnd()).as("closed at once, unanswered").isEmpty();
        Map<String, Object> facts = LogCapture.keyValues(capture.first("connection rejected"));
        assertThat(facts.get("remote")).isEqualTo("127.0.0.1:" + beyond.socket().getLocalPort());
        assertThat(facts.get("reason")).isEqualTo("rejected: connection queue full");
        assertThat(facts.get("maxQueuedConnections")).isEqualTo(1);
      }
      PrometheusText full = metrics.scrape();
      assertThat(full.value("ack_connections_queue_full_rejected_total")).isEqualTo(1);
      assertThat(full.value("ack_connections_queued_total")).isEqualTo(1);
      assertThat(full.value("ack_connections_waiting")).isEqualTo(1);

      // The waiting one keeps its place: served when the first leaves.
      served.close();
      assertThat(waiting.read(Acks.RAW.length)).isEqualTo(Acks.RAW);
    }
    assertThat(server.counters().queueFullRejected()).isEqualTo(1);
  }
}
