package de.ackservice.server;

import de.ackservice.support.Acks;
import de.ackservice.support.BlockingClient;
import de.ackservice.support.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Line framing over real sockets. Each test sends, half-closes and reads the server's whole answer up to its close,
 * so "exactly N acknowledgements" is checked byte for byte, with nothing missing and nothing extra.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class LineFramingTest {

  private static final JsonObject LINE = new JsonObject().put("framing", "line");

  @Test
  void answersEachLineWithTheAcknowledgementAndANewline(Vertx vertx, VertxTestContext ctx) {
    exchange(vertx, LINE, peer -> peer.send("hallo\n"))
      .onComplete(ctx.succeeding(answer -> ctx.verify(() -> {
        assertThat(answer).isEqualTo(Acks.LINE);
        ctx.completeNow();
      })));
  }

  @Test
  void pipelinedLinesInOneWriteGetExactlyOneAcknowledgementEach(Vertx vertx, VertxTestContext ctx) {
    int lines = 10_000;
    StringBuilder batch = new StringBuilder();
    for (int i = 0; i < lines; i++) {
      batch.append("message ").append(i).append(i % 2 == 0 ? "\n" : "\r\n");
    }
    exchange(vertx, LINE, peer -> peer.send(batch.toString()))
      .onComplete(ctx.succeeding(answer -> ctx.verify(() -> {
        assertThat(answer).isEqualTo(Acks.lines(lines));
        ctx.completeNow();
      })));
  }

  @Test
  void aLineSplitAcrossWritesIsAcknowledgedOnce(Vertx vertx, VertxTestContext ctx) {
    exchange(vertx, LINE, peer -> {
      peer.send("hal").send("lo").send("\r").send("\nwel");
      // The first line is complete: its ack arrives before the rest of the second line is even sent.
      assertThat(peer.read(Acks.LINE.length)).isEqualTo(Acks.LINE);
      peer.send("t\n");
    }).onComplete(ctx.succeeding(rest -> ctx.verify(() -> {
      assertThat(rest).isEqualTo(Acks.LINE);
      ctx.completeNow();
    })));
  }

  @Test
  void acknowledgesBinaryLinesWithNulAndInvalidUtf8(Vertx vertx, VertxTestContext ctx) {
    byte[] binary = {(byte) 0xff, 0, (byte) 0xfe, '\n', (byte) 0xc3, '\r', '\n', 0, '\n'};
    exchange(vertx, LINE, peer -> peer.send(binary))
      .onComplete(ctx.succeeding(answer -> ctx.verify(() -> {
        assertThat(answer).isEqualTo(Acks.lines(3));
        ctx.completeNow();
      })));
  }

  @Test
  void anOverLongLineGetsOneErrorLineAfterTheEarlierAcksAndIsClosed(Vertx vertx, VertxTestContext ctx) {
    JsonObject config = LINE.copy().put("maxLineBytes", 1024);
    String tooLong = "x".repeat(1025);
    exchange(vertx, config, peer -> peer.send("one\ntwo\n" + "y".repeat(1024) + "\n" + tooLong + "\nafter\n"))
      .onComplete(ctx.succeeding(answer -> ctx.verify(() -> {
        String text = new String(answer, StandardCharsets.UTF_8);
        assertThat(text).isEqualTo(new String(Acks.lines(3), StandardCharsets.UTF_8)
          + "ERROR line too long: the limit is 1024 bytes\n");
        ctx.completeNow();
      })));
  }

  @Test
  void anEndlessLineIsCutOffEarlyWithoutBufferingItAndOthersAreServed(Vertx vertx, VertxTestContext ctx) {
    int maxLine = 64 * 1024;
    int attack = 32 * 1024 * 1024;
    TestServers.start(vertx, LINE).onComplete(ctx.succeeding(server -> vertx.executeBlocking(() -> {
      try (BlockingClient attacker = new BlockingClient(server.port());
           BlockingClient neighbour = new BlockingClient(server.port())) {
        byte[] block = "z".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
        try {
          for (int sent = 0; sent < attack; sent += block.length) {
            attacker.send(block);
          }
        } catch (IOException closedByServer) {
          // Expected: the server closes the connection long before 32 MiB.
        }
        byte[] answer = attacker.readToEnd();
        byte[] neighbourReply = neighbour.send("still here\n").read(Acks.LINE.length);
        return new byte[][] {answer, neighbourReply};
      }
    }).onComplete(ctx.succeeding(replies -> ctx.verify(() -> {
      assertThat(new String(replies[0], StandardCharsets.UTF_8))
        .isEqualTo("ERROR line too long: the limit is " + maxLine + " bytes\n");
      assertThat(replies[1]).isEqualTo(Acks.LINE);
      assertThat(server.counters().linesTooLong()).isEqualTo(1);
      // The server read a bounded prefix of the attack, not all of it.
      assertThat(server.counters().bytesReceived()).isLessThan(attack / 2);
      ctx.completeNow();
    })))));
  }

  interface Conversation {
    void run(BlockingClient peer) throws IOException;
  }

  /** Starts a server, runs the conversation on a blocking client, half-closes and returns what followed. */
  private static io.vertx.core.Future<byte[]> exchange(Vertx vertx, JsonObject config, Conversation conversation) {
    return TestServers.start(vertx, config).compose(server -> vertx.executeBlocking(() -> {
      try (BlockingClient peer = new BlockingClient(server.port())) {
        conversation.run(peer);
        return peer.finishAndReadAll();
      }
    }));
  }
}
