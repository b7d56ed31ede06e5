package de.ackservice.server;

import de.ackservice.support.Acks;
import de.ackservice.support.BlockingClient;
import de.ackservice.support.Conditions;
import de.ackservice.support.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Undeploying the server (what SIGTERM does through vertx.close()) drains instead of dropping clients. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class GracefulShutdownTest {

  @Test
  void stopsAcceptingButServesConnectedClientsAndFinishesAsSoonAsTheyAreGone(Vertx vertx, VertxTestContext ctx)
    throws Exception {
    ServerState server = start(vertx, new JsonObject().put("shutdownGraceMs", 120_000));
    try (BlockingClient connected = new BlockingClient(server.port())) {
      assertThat(connected.send("vorher").read(Acks.RAW.length)).isEqualTo(Acks.RAW);

      Future<Void> stopped = undeployAll(vertx);
      assertThat(BlockingClient.refusedWithinAttempts(server.port(), 2_000)).as("new connections are refused").isTrue();
      assertThat(connected.send("während").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
      assertThat(stopped.isComplete()).as("still draining while a client is connected").isFalse();

      connected.close();
      // Completes long before the 120 s grace: the test's own 60 s timeout would fail otherwise.
      stopped.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    ctx.completeNow();
  }

  @Test
  void everyLineReceivedBeforeTheShutdownIsAcknowledged(Vertx vertx, VertxTestContext ctx) throws Exception {
    int lines = 20_000;
    ServerState server = start(vertx, new JsonObject().put("framing", "line").put("shutdownGraceMs", 30_000));
    try (BlockingClient client = new BlockingClient(server.port())) {
      // Its first ack proves the connection was accepted: one still in the kernel's accept queue is reset.
      assertThat(client.send("a\n").read(Acks.LINE.length)).isEqualTo(Acks.LINE);
      client.send("a\n".repeat(lines - 1));
      Future<Void> stopped = undeployAll(vertx);
      byte[] answer = client.finishAndReadAll();
      stopped.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      ctx.verify(() -> assertThat(answer).isEqualTo(Acks.lines(lines - 1)));
    }
    ctx.completeNow();
  }

  @Test
  void closesWhatIsLeftWhenTheGracePeriodIsOver(Vertx vertx, VertxTestContext ctx) throws Exception {
    ServerState server = start(vertx, new JsonObject().put("shutdownGraceMs", 300));
    try (BlockingClient lingering = new BlockingClient(server.port())) {
      assertThat(lingering.send("hallo").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
      long started = System.nanoTime();
      Future<Void> stopped = undeployAll(vertx);
      assertThat(lingering.readToEnd()).as("closed by the server, nothing more sent").isEmpty();
      long lingeredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      stopped.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      // Not a speed limit: being closed before the grace period is over would be the bug.
      ctx.verify(() -> assertThat(lingeredMs).isGreaterThanOrEqualTo(250));
    }
    ctx.completeNow();
  }

  @Test
  void aClientThatNeverReadsIsResetWhenTheGracePeriodIsOverAndTheShutdownCompletes(Vertx vertx, VertxTestContext ctx)
    throws Exception {
    ServerState server = start(vertx, new JsonObject().put("shutdownGraceMs", 300).put("framing", "line")
      .put("writeQueueMaxBytes", 1024));
    try (Socket flooder = new Socket()) {
      flooder.setReceiveBufferSize(4096);
      flooder.connect(new InetSocketAddress("127.0.0.1", server.port()), BlockingClient.TIMEOUT_MS);
      Future<Void> flooding = vertx.executeBlocking(() -> {
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < chunk.length; i += 2) {
          chunk[i] = 'x';
          chunk[i + 1] = '\n';
        }
        for (int i = 0; i < 4096; i++) {
          flooder.getOutputStream().write(chunk);
        }
        return null;
      }, false);
      Conditions.awaitBlocking(vertx, "paused: its acknowledgements wait for it",
        () -> server.counters().backpressurePauses() > 0);
      // A close that waited for the unread acknowledgements to be written would wait for this client for ever; the
      // connection resets itself 1 s after the grace if it is still open, and the instance's stop waits for that.
      undeployAll(vertx).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertThat(server.counters().openConnections()).as("released when the shutdown completes").isZero();
      Conditions.awaitBlocking(vertx, "the flooder's writes fail: reset", flooding::failed);
    }
    ctx.completeNow();
  }

  private static ServerState start(Vertx vertx, JsonObject config) throws Exception {
    return TestServers.start(vertx, config).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static Future<Void> undeployAll(Vertx vertx) {
    return Future.all(vertx.deploymentIDs().stream().map(vertx::undeploy).toList()).mapEmpty();
  }
}
