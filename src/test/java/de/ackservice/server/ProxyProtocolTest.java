package de.ackservice.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import de.ackservice.support.Acks;
import de.ackservice.support.BlockingClient;
import de.ackservice.support.Conditions;
import de.ackservice.support.LogCapture;
import de.ackservice.support.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behind a TCP load balancer that speaks the PROXY protocol, the log names the real client, not the balancer. The
 * addresses in the headers are text only: every byte of the test goes to 127.0.0.1.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ProxyProtocolTest {

  private LogCapture capture;
  private List<ILoggingEvent> events;

  @BeforeEach
  void capture() {
    capture = LogCapture.attach(AckConnection.class, Level.INFO);
    events = capture.events;
  }

  @AfterEach
  void release() {
    capture.close();
  }

  @Test
  void aVersion1HeaderNamesTheClientInTheLog(Vertx vertx, VertxTestContext ctx) throws Exception {
    ServerState server = start(vertx);
    try (BlockingClient client = new BlockingClient(server.port())) {
      client.send("PROXY TCP4 203.0.113.7 127.0.0.1 51000 5000\r\n");
      assertThat(client.send("hallo").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
    }
    String remote = awaitClosedRemote(vertx);
    ctx.verify(() -> assertThat(remote).isEqualTo("203.0.113.7:51000"));
    ctx.completeNow();
  }

  @Test
  void aVersion2HeaderNamesTheClientInTheLog(Vertx vertx, VertxTestContext ctx) throws Exception {
    ServerState server = start(vertx);
    try (BlockingClient client = new BlockingClient(server.port())) {
      client.send(version2Header(new byte[] {(byte) 203, 0, 113, 8}, new byte[] {127, 0, 0, 1}, 51001, 5000));
      assertThat(client.send("hallo").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
    }
    String remote = awaitClosedRemote(vertx);
    ctx.verify(() -> assertThat(remote).isEqualTo("203.0.113.8:51001"));
    ctx.completeNow();
  }

  @Test
  void aConnectionWithoutTheHeaderIsClosedUnserved(Vertx vertx, VertxTestContext ctx) throws Exception {
    ServerState server = start(vertx);
    byte[] answer;
    try (BlockingClient client = new BlockingClient(server.port())) {
      // A line where the header belongs. (Bytes that might still become a header are waited for, up to Vert.x's
      // PROXY protocol timeout of 10 s, and then closed the same way.)
      answer = client.send("hallo, ganz ohne PROXY-Kopf\r\n").readToEnd();
    }
    await(Conditions.await(vertx, "the bad header is counted", () -> server.overload().handshakes().total(de.ackservice.overload.HandshakeFailures.Stage.PROXY) == 1));
    // The server still serves clients that do send the header.
    try (BlockingClient proxied = new BlockingClient(server.port())) {
      proxied.send("PROXY TCP4 203.0.113.9 127.0.0.1 51002 5000\r\n");
      assertThat(proxied.send("hallo").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
    }
    ctx.verify(() -> {
      assertThat(answer).as("closed without an acknowledgement").isEmpty();
      assertThat(server.counters().messages()).isEqualTo(1);
      assertThat(server.counters().connectionsOpened()).as("never became a connection").isEqualTo(1);
    });
    ctx.completeNow();
  }

  /** A PROXY protocol v2 header: PROXY command, TCP over IPv4, source and destination address and port. */
  private static byte[] version2Header(byte[] source, byte[] destination, int sourcePort, int destinationPort) {
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    header.writeBytes(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
    header.write(0x21); // version 2, PROXY
    header.write(0x11); // AF_INET, STREAM
    ByteBuffer addresses = ByteBuffer.allocate(12)
      .put(source).put(destination).putShort((short) sourcePort).putShort((short) destinationPort);
    header.write(0);
    header.write(12);
    header.writeBytes(addresses.array());
    return header.toByteArray();
  }

  private String awaitClosedRemote(Vertx vertx) throws Exception {
    await(Conditions.await(vertx, "close logged", () -> events.stream()
      .anyMatch(e -> e.getMessage().equals("connection closed"))));
    return (String) LogCapture.keyValues(capture.first("connection closed")).get("remote");
  }

  private static ServerState start(Vertx vertx) throws Exception {
    return await(TestServers.start(vertx, new JsonObject().put("instances", 1).put("proxyProtocol", true)));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
