package de.ackservice.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import de.ackservice.overload.HandshakeFailures;
import de.ackservice.overload.HandshakeFailures.Reason;
import de.ackservice.overload.HandshakeFailures.Stage;
import de.ackservice.support.Acks;
import de.ackservice.support.BlockingClient;
import de.ackservice.support.Conditions;
import de.ackservice.support.LogCapture;
import de.ackservice.support.MetricsScraper;
import de.ackservice.support.PrometheusText;
import de.ackservice.support.TestCertificates;
import de.ackservice.support.TestCertificates.Pair;
import de.ackservice.support.TestServers;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * handshakeTimeoutMs: a connection that opens and then sends nothing is closed after the configured deadline, not
 * Vert.x's default 10 s. The clients wait at most {@link #WAIT_LESS_THAN_THE_DEFAULT_MS} for the close, which only
 * the configured deadline (300 ms) can meet.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HandshakeDeadlineTest {

  private static final int WAIT_LESS_THAN_THE_DEFAULT_MS = 6_000;

  private MetricsScraper metrics;
  private LogCapture capture;
  private TestCertificates certs;

  @BeforeEach
  void setUp() throws Exception {
    metrics = new MetricsScraper();
    capture = LogCapture.attach(AckConnection.class, Level.INFO);
    certs = new TestCertificates();
  }

  @AfterEach
  void tearDown() throws Exception {
    capture.close();
    metrics.close();
    certs.close();
  }

  @Test
  void aTlsHandshakeThatNeverStartsIsClosedAtTheDeadlineLoggedAndCounted() throws Exception {
    Pair pair = certs.create();
    ServerState server = start(new JsonObject().put("handshakeTimeoutMs", 300)
      .put("tlsCertPath", pair.cert().toString()).put("tlsKeyPath", pair.key().toString()));
    String remote;
    try (BlockingClient silent = new BlockingClient(server.port())) {
      remote = "127.0.0.1:" + silent.socket().getLocalPort();
      silent.socket().setSoTimeout(WAIT_LESS_THAN_THE_DEFAULT_MS);
      assertThat(silent.closedByServer()).as("closed at the handshake deadline").isTrue();
    }
    HandshakeFailures handshakes = server.overload().handshakes();
    HandshakeFailures.Kind tlsTimeout = new HandshakeFailures.Kind(Stage.TLS, Reason.TIMEOUT);
    await(Conditions.await(metrics.vertx, "the timeout is counted", () -> handshakes.count(tlsTimeout) == 1));
    PrometheusText scraped = metrics.scrape();
    assertThat(scraped.value("ack_handshake_failures_total{reason=\"timeout\",stage=\"tls\"}")).isEqualTo(1);
    assertThat(scraped.value("ack_handshake_failures_total{reason=\"handshake failed\",stage=\"tls\"}")).isZero();
    ILoggingEvent refused = capture.first("connection refused");
    assertThat(refused.getLevel()).isEqualTo(Level.INFO);
    Map<String, Object> facts = LogCapture.keyValues(refused);
    assertThat(facts).containsEntry("stage", "tls").containsEntry("reason", "timeout");
    assertThat(facts).as("the socket's address").containsEntry("remote", remote);
    assertThat(capture.count("connection refused")).as("once").isEqualTo(1);
    assertThat(server.counters().connectionsOpened()).as("never served").isZero();
  }

  @Test
  void aPlaintextClientOnTheTlsPortIsCountedAsAFailedHandshake() throws Exception {
    Pair pair = certs.create();
    ServerState server = start(new JsonObject().put("handshakeTimeoutMs", 5000)
      .put("tlsCertPath", pair.cert().toString()).put("tlsKeyPath", pair.key().toString()));
    String remote;
    try (BlockingClient plaintext = new BlockingClient(server.port())) {
      remote = "127.0.0.1:" + plaintext.socket().getLocalPort();
      assertThat(plaintext.send("hallo\r\n").readToEnd()).isEmpty();
    }
    HandshakeFailures.Kind failed = new HandshakeFailures.Kind(Stage.TLS, Reason.HANDSHAKE_FAILED);
    await(Conditions.await(metrics.vertx, "counted", () -> server.overload().handshakes().count(failed) == 1));
    assertThat(metrics.scrape().value("ack_handshake_failures_total{reason=\"handshake failed\",stage=\"tls\"}"))
      .isEqualTo(1);
    Map<String, Object> facts = LogCapture.keyValues(capture.first("connection refused"));
    assertThat(String.valueOf(facts.get("reason"))).startsWith("handshake failed: ");
    assertThat(facts).containsEntry("remote", remote);
    assertThat(capture.count("connection refused")).as("once").isEqualTo(1);
  }

  @Test
  void aProxyHeaderThatNeverComesIsClosedAtTheDeadline() throws Exception {
    ServerState server = start(new JsonObject().put("handshakeTimeoutMs", 300).put("proxyProtocol", true));
    try (BlockingClient silent = new BlockingClient(server.port());
         BlockingClient halfAHeader = new BlockingClient(server.port())) {
      halfAHeader.send("PROXY TCP4 203.0.113.7");
      silent.socket().setSoTimeout(WAIT_LESS_THAN_THE_DEFAULT_MS);
      halfAHeader.socket().setSoTimeout(WAIT_LESS_THAN_THE_DEFAULT_MS);
      assertThat(silent.closedByServer()).as("nothing sent").isTrue();
      assertThat(halfAHeader.closedByServer()).as("half a header").isTrue();
    }
    // The deadline applies before the header only: a proxied client is then served for as long as it likes.
    try (BlockingClient proxied = new BlockingClient(server.port())) {
      proxied.send("PROXY TCP4 203.0.113.7 127.0.0.1 51000 5000\r\n");
      assertThat(proxied.send("hallo").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
      await(Conditions.await(metrics.vertx, "served", () -> server.counters().messages() == 1));
      long served = System.nanoTime();
      await(Conditions.await(metrics.vertx, "well past the deadline",
        () -> System.nanoTime() - served > TimeUnit.MILLISECONDS.toNanos(900)));
      assertThat(proxied.send("noch da").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
    }
  }

  private ServerState start(JsonObject config) throws Exception {
    return metrics.start(config.put("instances", 1));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
