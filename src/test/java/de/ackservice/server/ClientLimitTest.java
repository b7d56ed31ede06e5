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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * maxConnectionsPerClient over real sockets from two loopback addresses (127.0.0.1 and 127.0.0.2; every byte goes to
 * 127.0.0.1): the address over the limit is closed at once, logged and counted, the other is served, the count is
 * across instances, and the table forgets an address when its last connection closes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientLimitTest {

  @RegisterExtension
  final MetricsScraper metrics = new MetricsScraper();
  @RegisterExtension
  final LogCapture capture = LogCapture.attach(AckConnection.class, Level.INFO);
  private final List<BlockingClient> clients = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (BlockingClient client : clients) {
      client.close();
    }
  }

  @Test
  void overTheLimitOneAddressIsClosedAtOnceWhileAnotherIsServed() throws Exception {
    // Two instances: the count is shared across event loops.
    ServerState server = start(new JsonObject().put("maxConnectionsPerClient", 2).put("instances", 2));
    BlockingClient first = served("127.0.0.1", server);
    served("127.0.0.1", server);

    BlockingClient third = connect("127.0.0.1", server);
    assertThat(third.send("hallo").readToEnd()).as("closed without an acknowledgement").isEmpty();
    served("127.0.0.2", server);

    awaitCondition("the rejection is counted", () -> server.overload().clients().rejected() == 1);
    PrometheusText whileFull = scrape();
    assertThat(whileFull.value("ack_connections_client_limit_rejected_total")).isEqualTo(1);
    assertThat(whileFull.value("ack_connections_client_addresses")).isEqualTo(2);
    Map<String, Object> facts = LogCapture.keyValues(capture.first("connection rejected"));
    assertThat(facts.get("remote")).isEqualTo("127.0.0.1:" + third.socket().getLocalPort());
    assertThat(facts.get("limit")).isEqualTo(2);
    assertThat(facts.get("reason")).isEqualTo("rejected: per-client connection limit reached");

    // A slot freed by the address is its own again.
    first.close();
    awaitCondition("the first close is counted", () -> server.overload().clients().openFrom("127.0.0.1") == 1);
    served("127.0.0.1", server);
    assertThat(server.overload().clients().rejected()).isEqualTo(1);
  }

  @Test
  void anAddressLeavesTheTableWithItsLastConnection() throws Exception {
    ServerState server = start(new JsonObject().put("maxConnectionsPerClient", 1));
    for (int i = 1; i <= 20; i++) {
      try (BlockingClient client = new BlockingClient("127.0.1." + i, server.port())) {
        assertThat(client.send("hallo").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
      }
    }
    awaitCondition("all closed", () -> server.counters().connectionsClosed() == 20);
    assertThat(server.overload().clients().trackedAddresses()).isZero();
    assertThat(scrape().value("ack_connections_client_addresses")).isZero();
    assertThat(server.overload().clients().rejected()).isZero();
  }

  @Test
  void behindAProxyTheAddressInTheHeaderIsCounted() throws Exception {
    ServerState server = start(new JsonObject().put("maxConnectionsPerClient", 1).put("proxyProtocol", true));
    BlockingClient first = connect("127.0.0.1", server);
    first.send("PROXY TCP4 203.0.113.7 127.0.0.1 51000 5000\r\n");
    assertThat(first.send("hallo").read(Acks.RAW.length)).isEqualTo(Acks.RAW);

    BlockingClient sameClient = connect("127.0.0.1", server);
    sameClient.send("PROXY TCP4 203.0.113.7 127.0.0.1 51001 5000\r\n");
    assertThat(sameClient.send("hallo").readToEnd()).as("the header's address is over its limit").isEmpty();

    BlockingClient otherClient = connect("127.0.0.1", server);
    otherClient.send("PROXY TCP4 203.0.113.8 127.0.0.1 51002 5000\r\n");
    assertThat(otherClient.send("hallo").read(Acks.RAW.length)).as("same balancer, another client").isEqualTo(Acks.RAW);
    assertThat(server.overload().clients().rejected()).isEqualTo(1);
    assertThat(scrape().value("ack_connections_client_limit_rejected_total")).isEqualTo(1);
  }

  private BlockingClient served(String source, ServerState server) throws Exception {
    BlockingClient client = connect(source, server);
    assertThat(client.send("hallo").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
    return client;
  }

  private BlockingClient connect(String source, ServerState server) throws Exception {
    BlockingClient client = new BlockingClient(source, server.port());
    clients.add(client);
    return client;
  }

  private ServerState start(JsonObject config) throws Exception {
    return metrics.start(config);
  }

  private PrometheusText scrape() throws Exception {
    return metrics.scrape();
  }

  private void awaitCondition(String what, BooleanSupplier condition) throws Exception {
    await(Conditions.await(metrics.vertx, what, condition));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
