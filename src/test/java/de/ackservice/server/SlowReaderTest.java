package de.ackservice.server;

import ch.qos.logback.classic.Level;
import de.ackservice.support.Acks;
import de.ackservice.support.BlockingClient;
import de.ackservice.support.Conditions;
import de.ackservice.support.LogCapture;
import de.ackservice.support.MetricsScraper;
import de.ackservice.support.PrometheusText;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * writeStallTimeoutMs over real sockets: a client that floods without ever reading (a 4 KiB receive buffer) is closed
 * as a slow reader once its acknowledgements have waited that long, with a reset that does not wait for it to read,
 * while another client is served; a quiet client that reads is never closed by it; and the idle timeout no longer
 * closes a client that is paused for backpressure.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SlowReaderTest {

  private static final int STALL_MS = 1000;
  /** Slack for a loaded machine on top of the stall timeout and the close's flush wait; a test bound, not a figure. */
  private static final long SLACK_MS = 10_000;

  @RegisterExtension
  final MetricsScraper metrics = new MetricsScraper();
  @RegisterExtension
  final LogCapture capture = LogCapture.attach(AckConnection.class, Level.INFO);

  @Test
  void aFloodingClientThatNeverReadsIsClosedAsASlowReaderWhileAnotherIsServed() throws Exception {
    ServerState server = metrics.start(new JsonObject().put("instances", 1).put("framing", "line")
      .put("writeStallTimeoutMs", STALL_MS).put("writeQueueMaxBytes", 1024));
    try (Socket flooder = neverReading(server.port());
         BlockingClient reader = new BlockingClient(server.port())) {
      CompletableFuture<IOException> flooding = flood(flooder);
      awaitCondition("the flooder is paused", () -> server.counters().backpressurePauses() > 0);
      long pausedAt = System.nanoTime();

      // Another client is served meanwhile.
      assertThat(reader.send("hallo\n").read(Acks.LINE.length)).isEqualTo(Acks.LINE);

      awaitCondition("closed", () -> server.counters().connectionsClosed() == 1);
      long closedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pausedAt);
      assertThat(closedAfterMs).as("within writeStallTimeoutMs + the close's flush wait + slack")
        .isLessThan(STALL_MS + AckConnection.CLOSE_FLUSH_WAIT_MS + SLACK_MS);
      // What the client sees: its writes fail, the connection was reset (it never read, so no orderly close).
      IOException ended = flooding.get(30, TimeUnit.SECONDS);
      assertThat(ended).as("the flooder's writes fail once the server reset the connection").isNotNull();

      assertThat(LogCapture.keyValues(capture.first("connection closed"))).containsEntry("reason", "slow reader");

      PrometheusText scraped = metrics.scrape();
      assertThat(scraped.value("ack_connections_slow_reader_closed_total")).isEqualTo(1);
      assertThat(scraped.value("ack_connections_closes_aborted_total")).isEqualTo(1);
      assertThat(scraped.value("ack_connections_idle_closed_total")).isZero();
      assertThat(reader.send("noch da\n").read(Acks.LINE.length)).isEqualTo(Acks.LINE);
    }
  }

  @Test
  void aQuietClientThatReadsIsNeverClosedByIt() throws Exception {
    ServerState server = metrics.start(new JsonObject().put("instances", 1).put("writeStallTimeoutMs", 200));
    try (BlockingClient quiet = new BlockingClient(server.port())) {
      assertThat(quiet.send("hallo").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
      long since = System.nanoTime();
      awaitCondition("well past writeStallTimeoutMs",
        () -> System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(1500));
      assertThat(quiet.send("noch da").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
    }
    assertThat(server.counters().slowReaders()).isZero();
    assertThat(metrics.scrape().value("ack_connections_slow_reader_closed_total")).isZero();
  }

  @Test
  void theIdleTimeoutDoesNotCloseAPausedClient() throws Exception {
    ServerState server = metrics.start(new JsonObject().put("instances", 1).put("framing", "line")
      .put("idleTimeoutMs", 300).put("writeQueueMaxBytes", 1024));
    try (Socket flooder = neverReading(server.port())) {
      CompletableFuture<IOException> flooding = flood(flooder);
      awaitCondition("the flooder is paused", () -> server.counters().backpressurePauses() > 0);
      long pausedAt = System.nanoTime();
      awaitCondition("several idle timeouts later",
        () -> System.nanoTime() - pausedAt > TimeUnit.MILLISECONDS.toNanos(2000));
      assertThat(server.counters().idleClosed()).as("acknowledgements wait for it: it is not idle").isZero();
      assertThat(server.counters().openConnections()).isEqualTo(1);
      assertThat(flooding).as("still blocked: the server holds it").isNotDone();
    }
    assertThat(metrics.scrape().value("ack_connections_idle_closed_total")).isZero();
  }

  /** A client with a 4 KiB receive buffer (set before connecting, so the window is small) that never reads. */
  private static Socket neverReading(int port) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", port), BlockingClient.TIMEOUT_MS);
    return socket;
  }

  /** Writes short lines until a write fails (bounded to 256 MiB); completes with that failure. */
  private static CompletableFuture<IOException> flood(Socket socket) {
    return CompletableFuture.supplyAsync(() -> {
      byte[] lines = new byte[64 * 1024];
      for (int i = 0; i < lines.length; i += 2) {
        lines[i] = 'x';
        lines[i + 1] = '\n';
      }
      try {
        OutputStream out = socket.getOutputStream();
        for (int i = 0; i < 4096; i++) {
          out.write(lines);
        }
        return null;
      } catch (IOException ended) {
        return ended;
      }
    });
  }

  private void awaitCondition(String what, BooleanSupplier condition) throws Exception {
    await(Conditions.await(metrics.vertx, what, condition));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
