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

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class IdleTimeoutTest {

  @Test
  void aConnectionThatSendsNothingForTheTimeoutIsClosed(Vertx vertx, VertxTestContext ctx) {
    int idleMs = 300;
    TestServers.start(vertx, new JsonObject().put("idleTimeoutMs", idleMs))
      .onComplete(ctx.succeeding(server -> vertx.executeBlocking(() -> {
        try (BlockingClient quiet = new BlockingClient(server.port())) {
          assertThat(quiet.send("hallo").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
          long quietSince = System.nanoTime();
          assertThat(quiet.closedByServer()).isTrue();
          return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - quietSince);
        }
      }).onComplete(ctx.succeeding(quietMs -> ctx.verify(() -> {
        // Not a speed assertion: closing before the timeout would be the bug.
        assertThat(quietMs).isGreaterThanOrEqualTo(idleMs - 20);
        assertThat(server.counters().idleClosed()).isEqualTo(1);
        ctx.completeNow();
      })))));
  }

  @Test
  void withoutATimeoutAQuietConnectionStaysOpen(Vertx vertx, VertxTestContext ctx) {
    TestServers.start(vertx).onComplete(ctx.succeeding(server -> vertx.executeBlocking(() -> {
      try (BlockingClient quiet = new BlockingClient(server.port())) {
        quiet.socket().setSoTimeout(1_000);
        assertThat(quiet.send("hallo").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
        assertThat(quiet.closedByServer()).isFalse();
        assertThat(quiet.send("noch da").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
        return server.counters().idleClosed();
      }
    }).onComplete(ctx.succeeding(idleClosed -> ctx.verify(() -> {
      assertThat(idleClosed).isZero();
      ctx.completeNow();
    })))));
  }
}
