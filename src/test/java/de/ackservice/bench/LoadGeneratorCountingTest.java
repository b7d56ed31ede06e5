package de.ackservice.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load generator counts exactly, against servers that chunk, stop, lie and hang up on purpose. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class LoadGeneratorCountingTest {

  @Test
  void countsAcksThatArriveOneByteAtATime(Vertx vertx, VertxTestContext ctx) {
    run(vertx, ctx, FakeServers.ackOneByteAtATime(vertx), List.of("--connections", "3", "--messages", "12"), r -> {
      assertEquals(12, r.acks());
      assertEquals(12, r.acksTotal());
      assertEquals(12, r.latency().count());
      assertEquals(3, r.connectionsOk());
      assertTrue(r.clean(), r::toString);
    });
  }

  @Test
  void countsOnlyTheAcksAServerSentAndTimesOutTheRest(Vertx vertx, VertxTestContext ctx) {
    // 4 connections, stop-and-wait: once the server falls silent each has exactly one message waiting.
    run(vertx, ctx, FakeServers.ackOnly(vertx, 25),
      List.of("--connections", "4", "--messages", "1000", "--timeout", "0.3"), r -> {
        assertEquals(25, r.acks());
        assertEquals(25, r.acksTotal());
        assertEquals(4, r.timedOut());
        assertEquals(4, r.unanswered());
        assertEquals(0, r.connectionsOk());
        assertEquals(4, r.errors());
        assertEquals(0, r.unexpectedBytes());
        assertFalse(r.clean());
        assertNotNull(r.firstError());
      });
  }

  @Test
  void rawBytesThatAreNotTheAckAreUnexpectedAndNeverCounted(Vertx vertx, VertxTestContext ctx) {
    // Right up to the last byte: only a byte-by-byte comparison tells it from the ack.
    byte[] almost = "Daten erfolgreich empfangen?".getBytes(StandardCharsets.UTF_8);
    run(vertx, ctx, FakeServers.replyWith(vertx, almost), List.of("--connections", "5", "--messages", "100"), r -> {
      assertEquals(0, r.acks());
      assertEquals(0, r.acksTotal());
      assertEquals(5, r.broken(), "a connection whose ack stream is broken is closed");
      assertEquals(5, r.wrongAnswers());
      assertEquals(5 * almost.length, r.unexpectedBytes());
      assertEquals(5, r.unanswered());
      assertEquals(0, r.connectionsOk());
    });
  }

  @Test
  void aSecondAckForOneMessageIsUnexpected(Vertx vertx, VertxTestContext ctx) {
    byte[] twice = (FakeServers.ACK_TEXT + FakeServers.ACK_TEXT).getBytes(StandardCharsets.UTF_8);
    run(vertx, ctx, FakeServers.replyWith(vertx, twice), List.of("--connections", "2", "--messages", "10"), r -> {
      assertEquals(2, r.acks(), "the first ack of each connection is right");
      assertEquals(2, r.broken());
      assertEquals(2 * FakeServers.ACK.length, r.unexpectedBytes());
    });
  }

  @Test
  void linesThatAreNotTheAckAreWrongAnswersAndTheRunGoesOn(Vertx vertx, VertxTestContext ctx) {
    run(vertx, ctx, FakeServers.replyToLinesWith(vertx, "nope\n"),
      List.of("--framing", "line", "--mode", "pipe", "--depth", "4", "--connections", "3", "--messages", "60"), r -> {
        assertEquals(0, r.acks());
        assertEquals(60, r.wrongAnswers(), "one wrong answer per line");
        assertEquals(60 * 5, r.unexpectedBytes());
        assertEquals(3, r.connectionsOk(), "line framing resynchronises at the next line break");
        assertEquals(60, r.errors());
      });
  }

  @Test
  void connectionsTheServerClosesEarlyAreFailedAndTheirMessagesUnanswered(Vertx vertx, VertxTestContext ctx) {
    run(vertx, ctx, FakeServers.closeAfter(vertx, 3), List.of("--connections", "6", "--messages", "1000"), r -> {
      assertEquals(18, r.acks(), "3 acks per connection before it was closed");
      assertEquals(6, r.lost());
      assertEquals(6, r.unanswered());
      assertEquals(0, r.connectionsOk());
      assertEquals(6, r.connectionsFailed());
      assertEquals(6, r.errors());
    });
  }

  @Test
  void refusedConnectionsAreFailedConnects(Vertx vertx, VertxTestContext ctx) {
    run(vertx, ctx, FakeServers.refusingPort(vertx), List.of("--connections", "3", "--duration", "0.2"), r -> {
      assertEquals(3, r.connectFailed());
      assertEquals(0, r.connectionsOk());
      assertEquals(0, r.acksTotal());
      assertEquals(3, r.errors());
      assertTrue(r.firstError().startsWith("connect to 127.0.0.1:"), r.firstError());
    });
  }

  private static void run(Vertx vertx, VertxTestContext ctx, Future<Integer> server, List<String> args,
                          Consumer<Report> checks) {
    server
      .compose(port -> {
        List<String> all = new ArrayList<>(List.of("--port", String.valueOf(port), "--warmup", "0"));
        all.addAll(args);
        return LoadGenerator.run(vertx, BenchOptionsParser.parse(all.toArray(String[]::new)));
      })
      .onComplete(ctx.succeeding(report -> ctx.verify(() -> {
        checks.accept(report);
        ctx.completeNow();
      })));
  }
}
