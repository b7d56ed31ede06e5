package de.ackservice.ops;

import de.ackservice.config.ManagementConfig;
import de.ackservice.server.ServerState;
import de.ackservice.support.Acks;
import de.ackservice.support.BlockingClient;
import de.ackservice.support.Conditions;
import de.ackservice.support.Http;
import de.ackservice.support.PrometheusText;
import de.ackservice.support.TestServers;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Known traffic in, exact numbers out: what {@code /metrics} says over HTTP, Vert.x's net-server metrics and the
 * service's own, matches what the test's clients did, byte for byte and connection for connection.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class MetricsEndpointTest {

  private PrometheusMeterRegistry registry;
  /** A Vert.x of our own: the injected one records no metrics. */
  private Vertx vertx;
  private int managementPort;

  @BeforeEach
  void startVertxWithMetrics() {
    VertxMetrics metrics = new VertxMetrics();
    metrics.collect(true);
    registry = metrics.registry();
    vertx = metrics.builder(new VertxOptions()).build();
    metrics.bindJvmMetrics(); // as the application does once it listens
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  void countsMatchTheTrafficSent(VertxTestContext ctx) throws Exception {
    ServerState server = start(new JsonObject().put("framing", "line").put("maxLineBytes", 10)
      .put("maxConnections", 1).put("overLimitPolicy", "reject"));
    String lines = "eins\nzwei\ndrei\n";
    String tooLong = "this line is too long\n";
    byte[] error = "ERROR line too long: the limit is 10 bytes\n".getBytes(StandardCharsets.UTF_8);

    try (BlockingClient served = new BlockingClient(server.port())) {
      assertThat(served.send(lines).read(3 * Acks.LINE.length)).isEqualTo(Acks.lines(3));
      try (BlockingClient overTheLimit = new BlockingClient(server.port())) {
        assertThat(overTheLimit.closedByServer()).as("rejected: one served at a time").isTrue();
      }
      assertThat(served.send(tooLong).readToEnd()).isEqualTo(error);
    }
    awaitCondition("both connections closed", () -> server.counters().connectionsClosed() == 2);

    PrometheusText metrics = scrape();
    ctx.verify(() -> {
      long bytesIn = lines.length() + tooLong.length();
      // Vert.x's own net-server metrics
      assertThat(metrics.value("vertx_net_server_bytes_read_total")).isEqualTo(bytesIn);
      assertThat(metrics.value("vertx_net_server_bytes_written_total")).isEqualTo(3 * Acks.LINE.length + error.length);
      assertThat(metrics.value("vertx_net_server_active_connections")).isEqualTo(0);
      // the service's
      assertThat(metrics.value("ack_messages_received_total{framing=\"line\"}")).isEqualTo(3);
      assertThat(metrics.value("ack_acks_sent_total")).isEqualTo(3);
      assertThat(metrics.value("ack_received_bytes_total")).isEqualTo(bytesIn);
      assertThat(metrics.value("ack_connections_opened_total")).isEqualTo(2);
      assertThat(metrics.value("ack_connections_closed_total")).isEqualTo(2);
      assertThat(metrics.value("ack_connections_rejected_total")).isEqualTo(1);
      assertThat(metrics.value("ack_connections_queued_total")).isEqualTo(0);
      assertThat(metrics.value("ack_lines_too_long_total")).isEqualTo(1);
      assertThat(metrics.value("ack_connections_idle_closed_total")).isEqualTo(0);
      assertThat(metrics.value("ack_backpressure_pauses_total")).isEqualTo(0);
      assertThat(metrics.value("ack_handshake_failures_total{reason=\"handshake failed\",stage=\"tls\"}")).isEqualTo(0);
      assertThat(metrics.value("ack_connections_open")).isEqualTo(0);
      assertThat(metrics.value("ack_connections_served")).isEqualTo(0);
      assertThat(metrics.value("ack_ready")).isEqualTo(1);
      // the limits, as configured
      assertThat(metrics.value("ack_config_max_connections")).isEqualTo(1);
      assertThat(metrics.value("ack_config_max_line_bytes")).isEqualTo(10);
      assertThat(metrics.value("ack_config_write_queue_max_bytes")).isEqualTo(65536);
      assertThat(metrics.value("ack_config_idle_timeout_seconds")).isEqualTo(0);
      assertThat(metrics.value("ack_config_shutdown_grace_seconds")).isEqualTo(10);
      assertThat(metrics.value("ack_config_instances")).isEqualTo(1);
      // and the JVM's
      assertThat(metrics.has("jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"}")
        || metrics.value("jvm_threads_live_threads") > 0).isTrue();
    });
    ctx.completeNow();
  }

  @Test
  void queuedAndIdleClosedConnectionsAreCountedAsTheyHappen(VertxTestContext ctx) throws Exception {
    ServerState server = start(new JsonObject().put("framing", "line").put("maxConnections", 1)
      .put("overLimitPolicy", "queue").put("idleTimeoutMs", 2000));

    try (BlockingClient first = new BlockingClient(server.port());
         BlockingClient second = new BlockingClient(server.port())) {
      assertThat(first.send("a\n").read(Acks.LINE.length)).isEqualTo(Acks.LINE);
      awaitCondition("the second waits", () -> server.counters().queued() == 1);
      PrometheusText whileWaiting = scrape();
      ctx.verify(() -> {
        assertThat(whileWaiting.value("ack_connections_queued_total")).isEqualTo(1);
        assertThat(whileWaiting.value("ack_connections_waiting")).isEqualTo(1);
        assertThat(whileWaiting.value("ack_connections_served")).isEqualTo(1);
        assertThat(whileWaiting.value("ack_connections_open")).isEqualTo(2);
        assertThat(whileWaiting.value("vertx_net_server_active_connections")).isEqualTo(2);
        assertThat(whileWaiting.value("ack_connections_idle_closed_total")).isEqualTo(0);
        assertThat(whileWaiting.value("ack_config_idle_timeout_seconds")).isEqualTo(2);
      });

      // The first goes quiet and is closed for it; the second gets its slot.
      assertThat(first.closedByServer()).isTrue();
      assertThat(second.send("b\n").read(Acks.LINE.length)).isEqualTo(Acks.LINE);
      PrometheusText afterwards = scrape();
      ctx.verify(() -> {
        assertThat(afterwards.value("ack_connections_idle_closed_total")).isEqualTo(1);
        assertThat(afterwards.value("ack_connections_waiting")).isEqualTo(0);
        assertThat(afterwards.value("ack_connections_served")).isEqualTo(1);
        assertThat(afterwards.value("ack_messages_received_total{framing=\"line\"}")).isEqualTo(2);
      });
    }
    ctx.completeNow();
  }

  @Test
  void backpressurePausesAreCountedAndASlowReaderCloseOnlyOnce(VertxTestContext ctx) throws Exception {
    // An idle timeout shorter than the stall timeout: it must not be the one that closes a paused client. The idle
    // clock starts when the connection is served, before the worker thread starts flooding: on a loaded machine that
    // start took over 200 ms, hence a second, far beyond any such stall.
    ServerState server = start(new JsonObject().put("framing", "line").put("idleTimeoutMs", 1000)
      .put("writeStallTimeoutMs", 3000).put("writeQueueMaxBytes", 1024));

    try (BlockingClient flooder = new BlockingClient(server.port())) {
      // Lines it never reads the acknowledgements of: the server stops reading it, and after writeStallTimeoutMs
      // closes it as a slow reader; the close cannot flush (the client does not read), so it ends with a reset.
      flooder.socket().setSendBufferSize(8192);
      byte[] flood = new byte[4 * 1024 * 1024];
      for (int i = 0; i < flood.length; i += 2) {
        flood[i] = 'x';
        flood[i + 1] = '\n';
      }
      Future<Void> flooding = vertx.executeBlocking(() -> {
        flooder.send(flood);
        return null;
      }, false);
      awaitCondition("the flooder is paused", () -> server.counters().backpressurePauses() > 0);
      // Pauses go on (resume, pause) until the flooder's receive buffer is full of acks: scrape until a scrape
      // falls between two equal readings of the server's counters.
      long[] counted = new long[2];
      boolean[] blockedWhenSettled = new boolean[1];
      PrometheusText whilePaused = null;
      for (int attempt = 0; attempt < 200 && whilePaused == null; attempt++) {
        long pausesBefore = server.counters().backpressurePauses();
        long messagesBefore = server.counters().messages();
        PrometheusText scraped = scrape();
        if (pausesBefore == server.counters().backpressurePauses() && messagesBefore == server.counters().messages()) {
          counted[0] = pausesBefore;
          counted[1] = messagesBefore;
          blockedWhenSettled[0] = !flooding.isComplete();
          whilePaused = scraped;
        }
      }
      PrometheusText paused = whilePaused;
      long messages = counted[1];
      ctx.verify(() -> {
        assertThat(paused).as("the counters settled").isNotNull();
        assertThat(blockedWhenSettled[0]).as("still blocked: the server does not read it").isTrue();
        assertThat(paused.value("ack_backpressure_pauses_total")).isEqualTo(counted[0]);
        assertThat(paused.value("ack_messages_received_total{framing=\"line\"}")).isEqualTo(messages);
      });

      awaitCondition("closed as a slow reader", () -> server.counters().slowReaders() > 0);
      // Without the client reading a byte: the close is bounded.
      awaitCondition("the close completed", () -> server.counters().connectionsClosed() == 1);
      PrometheusText closed = scrape();
      ctx.verify(() -> {
        assertThat(closed.value("ack_connections_slow_reader_closed_total")).isEqualTo(1);
        assertThat(closed.value("ack_connections_closes_aborted_total")).isEqualTo(1);
        assertThat(closed.value("ack_connections_idle_closed_total")).as("paused is not idle").isEqualTo(0);
        // Written by the server; the client may see fewer, as closing with its flood unread resets the connection.
        assertThat(closed.value("vertx_net_server_bytes_written_total"))
          .isEqualTo(server.counters().messages() * Acks.LINE.length);
      });
      flooding.onComplete(ignored -> { }); // ends with a reset once the server closed: nothing to check
    }
    ctx.completeNow();
  }

  private ServerState start(JsonObject config) throws Exception {
    ServerState server = await(TestServers.start(vertx, config.put("instances", 1)));
    ServiceMetrics.bind(registry, server);
    managementPort = await(new ManagementServer(vertx, registry, server::ready)
      .start(new ManagementConfig("127.0.0.1", 0, true)));
    return server;
  }

  private PrometheusText scrape() throws Exception {
    Http.Response response = Http.get(managementPort, "/metrics");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("text/plain; version=0.0.4");
    return PrometheusText.parse(response.body());
  }

  private void awaitCondition(String what, BooleanSupplier condition) throws Exception {
    await(Conditions.await(vertx, what, condition));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
