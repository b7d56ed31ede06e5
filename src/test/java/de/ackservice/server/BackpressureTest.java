package de.ackservice.server;

import de.ackservice.support.Acks;
import de.ackservice.support.BlockingClient;
import de.ackservice.support.Conditions;
import de.ackservice.support.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that pipelines lines and never reads its acknowledgements. Each 2-byte line costs the server a 29-byte
 * ack, so without backpressure the server would queue ~145 MB for it; with it, the server stops reading that
 * client once the acks it holds reach the write queue limit, serves everybody else, and loses nothing once the
 * client reads again.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class BackpressureTest {

  private static final int LINES = 5_000_000;

  @Test
  void aClientThatFloodsWithoutReadingIsPausedWhileOthersAreServedAndLosesNothing(Vertx vertx, VertxTestContext ctx)
    throws Exception {
    floodWithoutReading(vertx);
    ctx.completeNow();
  }

  /**
   * The same on io_uring, the transport the server takes by default where the kernel allows it (as here); the test's
   * own Vert.x instance is on NIO. Vert.x gives io_uring sockets a chunked writer in front of its handler (no file
   * regions there), so the acknowledgements' writes and writability events take another path through the pipeline.
   */
  @Test
  void onIoUringTooAFloodingClientIsPausedAndLosesNothing(VertxTestContext ctx) throws Exception {
    assertThat(Transport.IO_URING.available()).as("io_uring is allowed on this machine").isTrue();
    Vertx onIoUring = Vertx.builder().withTransport(Transport.IO_URING).build();
    try {
      floodWithoutReading(onIoUring);
    } finally {
      onIoUring.close().await(30, TimeUnit.SECONDS);
    }
    ctx.completeNow();
  }

  private static void floodWithoutReading(Vertx vertx) throws Exception {
    ServerState server = TestServers.start(vertx, new JsonObject().put("framing", "line").put("instances", 1))
      .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    BlockingClient flooder = new BlockingClient(server.port());
    // A small send buffer, so the flood waits in the server's receive buffer (at most tcp_rmem's 6 MB) rather
    // than in the flooder's: 10 MB of lines cannot all fit, and the flooder blocks once the server stops reading.
    flooder.socket().setSendBufferSize(8192);
    byte[] block = new byte[64 * 1024];
    for (int i = 0; i < block.length; i += 2) {
      block[i] = 'x';
      block[i + 1] = '\n';
    }
    Future<Void> flood = vertx.executeBlocking(() -> {
      for (int sent = 0; sent < LINES * 2; sent += block.length) {
        flooder.send(Arrays.copyOf(block, Math.min(block.length, LINES * 2 - sent)));
      }
      return null;
    }, false);

    Conditions.awaitBlocking(vertx, "the server pauses the flooder", () -> server.counters().backpressurePauses() > 0);
    long readWhilePaused = server.counters().messages();
    assertThat(readWhilePaused).as("the server stopped reading long before the end of the flood")
      .isLessThan(LINES / 4);

    try (BlockingClient neighbour = new BlockingClient(server.port())) {
      assertThat(neighbour.send("hallo\n").read(Acks.LINE.length)).isEqualTo(Acks.LINE);
    }
    assertThat(flood.isComplete()).as("the flooder is blocked: the server is not reading it").isFalse();

    // Now the flooder reads: every line it sent gets its acknowledgement, none lost, none extra.
    long acked = vertx.executeBlocking(() -> readAcks(flooder.socket().getInputStream(), LINES), false)
      .toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
    flood.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(acked).isEqualTo(LINES);
    assertThat(server.counters().messages()).isEqualTo(LINES + 1);
    flooder.close();
  }

  /** Reads exactly {@code lines} acknowledgements, checking every byte, without keeping them. */
  private static long readAcks(InputStream in, long lines) throws Exception {
    long expectedBytes = lines * Acks.LINE.length;
    byte[] chunk = new byte[256 * 1024];
    long position = 0;
    while (position < expectedBytes) {
      int n = in.read(chunk, 0, (int) Math.min(chunk.length, expectedBytes - position));
      if (n < 0) {
        break;
      }
      for (int i = 0; i < n; i++, position++) {
        if (chunk[i] != Acks.LINE[(int) (position % Acks.LINE.length)]) {
          throw new AssertionError("unexpected byte at offset " + position);
        }
      }
    }
    return position / Acks.LINE.length;
  }
}
