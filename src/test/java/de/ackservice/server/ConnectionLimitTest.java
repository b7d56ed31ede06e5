package de.ackservice.server;

import de.ackservice.support.Acks;
import de.ackservice.support.BlockingClient;
import de.ackservice.support.Conditions;
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
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ConnectionLimitTest {

  @Test
  void limitOfOneWithQueueServesClientsOneAtATimeInArrivalOrderLikeTheSeedSingleUserServer(Vertx vertx,
                                                                                           VertxTestContext ctx) {
    JsonObject config = new JsonObject().put("maxConnections", 1).put("overLimitPolicy", "queue");
    TestServers.start(vertx, config).onComplete(ctx.succeeding(server -> vertx.executeBlocking(() -> {
      try (BlockingClient first = new BlockingClient(server.port())) {
        assertThat(first.send("erster").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
        // Each waits until the server has queued the previous one: arrival order is the server's accept order.
        BlockingClient second = new BlockingClient(server.port()).send("zweiter");
        Conditions.awaitBlocking(vertx, "second queued", () -> server.limiter().queued() == 1);
        BlockingClient third = new BlockingClient(server.port()).send("dritter");
        Conditions.awaitBlocking(vertx, "third queued", () -> server.limiter().queued() == 2);
        // Held unread: the server has not even read the waiting clients' bytes.
        assertThat(server.counters().bytesReceived()).isEqualTo("erster".length());
        assertThat(server.counters().messages()).isEqualTo(1);

        first.close();
        assertThat(second.read(Acks.RAW.length)).isEqualTo(Acks.RAW);
        assertThat(server.limiter().queued()).as("third still waits behind second").isEqualTo(1);
        assertThat(server.counters().bytesReceived()).isEqualTo("erster".length() + "zweiter".length());
        second.close();
        assertThat(third.read(Acks.RAW.length)).isEqualTo(Acks.RAW);
        third.close();
        Conditions.awaitBlocking(vertx, "all slots released", () -> server.limiter().active() == 0);
        return server;
      }
    }).onComplete(ctx.succeeding(s -> ctx.verify(() -> {
      assertThat(s.counters().queued()).isEqualTo(2);
      assertThat(s.counters().messages()).isEqualTo(3);
      ctx.completeNow();
    })))));
  }

  @Test
  void rejectPolicyClosesConnectionsOverTheLimitAtOnceAndKeepsServingTheOthers(Vertx vertx, VertxTestContext ctx) {
    JsonObject config = new JsonObject().put("maxConnections", 2).put("overLimitPolicy", "reject");
    TestServers.start(vertx, config).onComplete(ctx.succeeding(server -> vertx.executeBlocking(() -> {
      try (BlockingClient one = new BlockingClient(server.port());
           BlockingClient two = new BlockingClient(server.port())) {
        assertThat(one.send("1").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
        assertThat(two.send("2").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
        try (BlockingClient three = new BlockingClient(server.port())) {
          assertThat(three.readToEnd()).as("rejected: closed without a reply").isEmpty();
        }
        assertThat(server.counters().rejected()).isEqualTo(1);
        assertThat(one.send("still served").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
      }
      // A freed slot is usable again.
      Conditions.awaitBlocking(vertx, "slots released", () -> server.limiter().active() == 0);
      try (BlockingClient again = new BlockingClient(server.port())) {
        assertThat(again.send("again").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
      }
      return null;
    }).onComplete(ctx.succeedingThenComplete())));
  }

  @Test
  void aQueuedClientThatGivesUpLeavesNoSlotBehind(Vertx vertx, VertxTestContext ctx) {
    JsonObject config = new JsonObject().put("maxConnections", 1);
    TestServers.start(vertx, config).onComplete(ctx.succeeding(server -> vertx.executeBlocking(() -> {
      try (BlockingClient first = new BlockingClient(server.port())) {
        assertThat(first.send("a").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
        try (BlockingClient impatient = new BlockingClient(server.port())) {
          Conditions.awaitBlocking(vertx, "impatient client queued", () -> server.limiter().queued() == 1);
        }
        Conditions.awaitBlocking(vertx, "impatient client withdrawn", () -> server.limiter().queued() == 0);
      }
      Conditions.awaitBlocking(vertx, "slot released", () -> server.limiter().active() == 0);
      try (BlockingClient next = new BlockingClient(server.port())) {
        assertThat(next.send("b").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
      }
      return null;
    }).onComplete(ctx.succeedingThenComplete())));
  }

  @Test
  void theLimitCountsConnectionsAcrossAllInstances(Vertx vertx, VertxTestContext ctx) {
    JsonObject config = new JsonObject().put("maxConnections", 3).put("instances", 3)
      .put("overLimitPolicy", "reject");
    TestServers.start(vertx, config).onComplete(ctx.succeeding(server -> vertx.executeBlocking(() -> {
      BlockingClient[] served = new BlockingClient[3];
      for (int i = 0; i < served.length; i++) {
        served[i] = new BlockingClient(server.port());
        assertThat(served[i].send("x").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
      }
      try (BlockingClient fourth = new BlockingClient(server.port())) {
        assertThat(fourth.readToEnd()).isEmpty();
      }
      for (BlockingClient client : served) {
        client.close();
      }
      return server.counters().rejected();
    }).onComplete(ctx.succeeding(rejected -> ctx.verify(() -> {
      assertThat(rejected).isEqualTo(1);
      ctx.completeNow();
    })))));
  }
}
