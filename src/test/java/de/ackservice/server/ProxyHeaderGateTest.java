package de.ackservice.server;

import ch.qos.logback.classic.Level;
import de.ackservice.overload.GatedTransport;
import de.ackservice.overload.HandshakeFailures;
import de.ackservice.overload.HandshakeFailures.Reason;
import de.ackservice.overload.HandshakeFailures.Stage;
import de.ackservice.support.Acks;
import de.ackservice.support.BlockingClient;
import de.ackservice.support.Conditions;
import de.ackservice.support.MetricsScraper;
import de.ackservice.support.LogCapture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the gate in front of the PROXY decoder (installed through {@link GatedTransport}): bytes that cannot begin a
 * header close the connection as they arrive, and a header that never comes is logged with the socket's address and
 * counted. Headers themselves pass untouched. All bytes go to 127.0.0.1; the header addresses are text.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyHeaderGateTest {

  /** Shorter than the header deadline of the fail-fast case: only closing as the bytes arrive can meet it. */
  private static final int WAIT_LESS_THAN_THE_DEADLINE_MS = 4_000;

  private Vertx vertx;
  private MetricsScraper metrics;
  private LogCapture capture;

  @BeforeEach
  void capture() {
    capture = LogCapture.attach(AckConnection.class, Level.INFO);
  }

  @AfterEach
  void tearDown() throws Exception {
    capture.close();
    if (metrics != null) {
      metrics.close();
    }
  }

  @Test
  void bytesThatCannotBeginAHeaderAreClosedAsTheyArrive() throws Exception {
    ServerState server = start(10_000);
    try (BlockingClient client = new BlockingClient(server.port())) {
      client.socket().setSoTimeout(WAIT_LESS_THAN_THE_DEADLINE_MS);
      client.send("this is not a PROXY header at all\n");
      assertThat(client.closedByServer()).as("closed before the 10 s deadline").isTrue();
      HandshakeFailures.Kind bad = new HandshakeFailures.Kind(Stage.PROXY, Reason.BAD_HEADER);
      await(Conditions.await(vertx, "counted", () -> server.overload().handshakes().count(bad) == 1));
      assertThat(metrics.scrape().value("ack_handshake_failures_total{reason=\"bad header\",stage=\"proxy\"}"))
        .isEqualTo(1);
      Map<String, Object> facts = refusal();
      assertThat(facts.get("remote")).isEqualTo("127.0.0.1:" + client.socket().getLocalPort());
      assertThat(facts.get("stage")).isEqualTo("proxy");
      assertThat((String) facts.get("reason")).startsWith("bad header");
    }
    assertThat(server.counters().connectionsOpened()).isZero();
  }

  @Test
  void aHeaderThatNeverComesIsLoggedWithTheSocketAddressAndCounted() throws Exception {
    ServerState server = start(300);
    try (BlockingClient silent = new BlockingClient(server.port())) {
      assertThat(silent.closedByServer()).isTrue();
      HandshakeFailures.Kind timeout = new HandshakeFailures.Kind(Stage.PROXY, Reason.TIMEOUT);
      await(Conditions.await(vertx, "counted", () -> server.overload().handshakes().count(timeout) == 1));
      assertThat(metrics.scrape().value("ack_handshake_failures_total{reason=\"timeout\",stage=\"proxy\"}"))
        .isEqualTo(1);
      Map<String, Object> facts = refusal();
      assertThat(facts.get("remote")).isEqualTo("127.0.0.1:" + silent.socket().getLocalPort());
      assertThat(facts.get("reason")).isEqualTo("timeout");
    }
  }

  @Test
  void aHeaderThatBeginsWellButIsMalformedIsLoggedWithTheSocketAddress() throws Exception {
    ServerState server = start(10_000);
    try (BlockingClient client = new BlockingClient(server.port())) {
      client.socket().setSoTimeout(WAIT_LESS_THAN_THE_DEADLINE_MS);
      client.send("PROXY TCP4 this-is-no-address 127.0.0.1 51000 5000\r\n");
      assertThat(client.closedByServer()).as("closed by the PROXY decoder").isTrue();
      HandshakeFailures.Kind bad = new HandshakeFailures.Kind(Stage.PROXY, Reason.BAD_HEADER);
      await(Conditions.await(vertx, "counted", () -> server.overload().handshakes().count(bad) == 1));
      Map<String, Object> facts = refusal();
      assertThat(facts.get("remote")).isEqualTo("127.0.0.1:" + client.socket().getLocalPort());
      assertThat((String) facts.get("reason")).startsWith("bad header: ");
    }
  }

  @Test
  void headersPassTheGate() throws Exception {
    ServerState server = start(10_000);
    try (BlockingClient v1 = new BlockingClient(server.port());
         BlockingClient v2 = new BlockingClient(server.port())) {
      // In pieces, so that the gate decides over several reads.
      v1.send("PRO");
      v1.send("XY TCP4 203.0.113.7 127.0.0.1 51000 5000\r\n");
      assertThat(v1.send("hallo").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
      v2.send(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21, 0x11, 0, 12,
        (byte) 203, 0, 113, 8, 127, 0, 0, 1, (byte) 0xC7, 0x39, 0x13, (byte) 0x88});
      assertThat(v2.send("hallo").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
    }
    assertThat(capture.messages()).doesNotContain("connection refused");
  }

  private ServerState start(int handshakeTimeoutMs) throws Exception {
    metrics = new MetricsScraper();
    vertx = metrics.vertx;
    return metrics.start(new JsonObject().put("instances", 1).put("proxyProtocol", true)
      .put("handshakeTimeoutMs", handshakeTimeoutMs));
  }

  private Map<String, Object> refusal() throws Exception {
    await(Conditions.await(vertx, "refusal logged",
      () -> capture.events.stream().anyMatch(e -> e.getMessage().equals("connection refused"))));
    return LogCapture.keyValues(capture.first("connection refused"));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
