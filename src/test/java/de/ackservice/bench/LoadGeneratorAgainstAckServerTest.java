package de.ackservice.bench;

import de.ackservice.config.TestConfigs;
import de.ackservice.support.TestServers;
import de.ackservice.config.ServerConfig;
import de.ackservice.server.ServerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against our own server, in both framings, every measured message is acknowledged and counted exactly once. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class LoadGeneratorAgainstAckServerTest {

  @Test
  void rawStopAndWaitCountsExactlyTheRequestedMessages(Vertx vertx, VertxTestContext ctx) {
    run(vertx, ctx, "raw", List.of("--connections", "10", "--messages", "3000"), r -> {
      assertEquals(3000, r.acks());
      assertEquals(3000, r.acksTotal(), "no warm-up: every message is measured");
      assertEquals(3000, r.latency().count());
      assertEquals(10, r.connectionsOk());
      assertTrue(r.clean(), r::toString);
      assertTrue(r.windowSeconds() > 0);
    });
  }

  @Test
  void lineStopAndWaitCountsExactlyTheRequestedMessages(Vertx vertx, VertxTestContext ctx) {
    run(vertx, ctx, "line", List.of("--framing", "line", "--connections", "7", "--messages", "2001"), r -> {
      assertEquals(2001, r.acks());
      assertEquals(2001, r.acksTotal());
      assertTrue(r.clean(), r::toString);
    });
  }

  @Test
  void pipelinedLinesCountExactlyTheRequestedMessages(Vertx vertx, VertxTestContext ctx) {
    run(vertx, ctx, "line", List.of("--framing", "line", "--mode", "pipe", "--depth", "16", "--connections", "5",
      "--messages", "10007", "--event-loops", "2"), r -> {
        assertEquals(10007, r.acks());
        assertEquals(10007, r.acksTotal());
        assertEquals(10007, r.latency().count());
        assertTrue(r.clean(), r::toString);
      });
  }

  @Test
  void warmUpMessagesAreAcknowledgedButNotMeasured(Vertx vertx, VertxTestContext ctx) {
    run(vertx, ctx, "raw", List.of("--connections", "4", "--warmup", "0.2", "--messages", "500"), r -> {
      assertEquals(500, r.acks());
      assertTrue(r.acksTotal() > 500, "the warm-up sent messages too: " + r.acksTotal());
      assertEquals(500, r.latency().count());
      assertTrue(r.clean(), r::toString);
    });
  }

  @Test
  void aDurationRunEndsByItselfWithEveryMessageAnswered(Vertx vertx, VertxTestContext ctx) {
    // The warm-up absorbs the first sends' class loading, which can take longer than a short window on a busy box.
    run(vertx, ctx, "line", List.of("--framing", "line", "--mode", "pipe", "--connections", "3", "--warmup", "1",
      "--duration", "0.5", "--ramp", "0.1"), r -> {
        assertTrue(r.acks() > 0, r::toString);
        assertEquals(r.acks(), r.latency().count());
        assertTrue(r.acksTotal() >= r.acks());
        assertTrue(r.clean(), r::toString);
        assertTrue(r.acksPerSecond() > 0, r::toString);
      });
  }

  @Test
  void aListenerHearsHowTheRunGoesOnceASecond(Vertx vertx, VertxTestContext ctx) {
    ServerState server = new ServerState(TestConfigs.server(new JsonObject()
      .put("host", "127.0.0.1").put("port", 0).put("instances", 1)));
    List<Progress> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    TestServers.deploy(vertx, server)
      .compose(id -> LoadGenerator.run(vertx, BenchOptionsParser.parse("--port", String.valueOf(server.port()),
        "--connections", "2", "--warmup", "0", "--duration", "1.5"), heard::add))
      .onComplete(ctx.succeeding(report -> ctx.verify(() -> {
        assertTrue(!heard.isEmpty(), "a run of more than a second reports progress");
        Progress first = heard.get(0);
        assertTrue(List.of("ramp", "measure").contains(first.phase()), first.phase());
        assertEquals(2, first.active());
        assertTrue(first.line().contains("answers/s"), first.line());
        ctx.completeNow();
      })));
  }

  private static void run(Vertx vertx, VertxTestContext ctx, String framing, List<String> args,
                          Consumer<Report> checks) {
    ServerState server = new ServerState(TestConfigs.server(new JsonObject()
      .put("host", "127.0.0.1").put("port", 0).put("instances", 1).put("framing", framing)));
    TestServers.deploy(vertx, server)
      .compose(id -> {
        List<String> all = new ArrayList<>(List.of("--port", String.valueOf(server.port())));
        if (!args.contains("--warmup")) {
          all.addAll(List.of("--warmup", "0"));
        }
        all.addAll(args);
        return LoadGenerator.run(vertx, BenchOptionsParser.parse(all.toArray(String[]::new)));
      })
      .onComplete(ctx.succeeding(report -> ctx.verify(() -> {
        checks.accept(report);
        ctx.completeNow();
      })));
  }
}
