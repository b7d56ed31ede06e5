package de.ackservice.ops;

import de.ackservice.config.TestConfigs;
import de.ackservice.support.TestServers;
import de.ackservice.config.ManagementConfig;
import de.ackservice.config.ServerConfig;
import de.ackservice.server.ServerState;
import de.ackservice.support.Acks;
import de.ackservice.support.BlockingClient;
import de.ackservice.support.Conditions;
import de.ackservice.support.Http;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Liveness and readiness as Kubernetes sees them: ready only once the acknowledgement port listens, not ready from
 * the moment shutdown begins while connected clients are still served, live throughout.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class HealthEndpointTest {

  @Test
  void readyOnlyWhileListeningAndNotShuttingDownLiveThroughout(Vertx vertx, VertxTestContext ctx) throws Exception {
    ServerState server = new ServerState(TestConfigs.server(new JsonObject().put("host", "127.0.0.1").put("port", 0)
      .put("instances", 2).put("shutdownGraceMs", 30_000)));
    int port = await(new ManagementServer(vertx, null, server::ready)
      .start(new ManagementConfig("127.0.0.1", 0, false)));

    Http.Response liveBefore = Http.get(port, "/health/live");
    Http.Response readyBefore = Http.get(port, "/health/ready");
    String deployment = await(TestServers.deploy(vertx, server));
    Http.Response readyListening = Http.get(port, "/health/ready");

    try (BlockingClient connected = new BlockingClient(server.port())) {
      assertThat(connected.send("vorher").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
      // The drain begins and waits for the connected client: readiness must say no at once, the client is served.
      Future<Void> drained = vertx.undeploy(deployment);
      await(Conditions.await(vertx, "shutdown begins", () -> !server.ready()));
      Http.Response readyDraining = Http.get(port, "/health/ready");
      Http.Response liveDraining = Http.get(port, "/health/live");
      byte[] servedDuringDrain = connected.send("währenddessen").read(Acks.RAW.length);
      ctx.verify(() -> {
        assertThat(liveBefore.status()).isEqualTo(200);
        assertThat(readyBefore.status()).as("nothing listens yet").isEqualTo(503);
        assertThat(readyListening.status()).isEqualTo(200);
        assertThat(readyListening.body()).isEqualTo("ready\n");
        assertThat(readyDraining.status()).as("shutting down").isEqualTo(503);
        assertThat(liveDraining.status()).isEqualTo(200);
        assertThat(servedDuringDrain).isEqualTo(Acks.RAW);
        assertThat(drained.isComplete()).as("the drain waits for the client").isFalse();
      });
      connected.close();
      await(drained);
    }
    ctx.completeNow();
  }

  @Test
  void answersOnlyItsPathsAndMethods(Vertx vertx, VertxTestContext ctx) throws Exception {
    int port = await(new ManagementServer(vertx, null, () -> true).start(new ManagementConfig("127.0.0.1", 0, false)));

    Http.Response metricsOff = Http.get(port, "/metrics");
    Http.Response unknown = Http.get(port, "/admin");
    Http.Response post = Http.request("POST", port, "/health/live");
    Http.Response head = Http.request("HEAD", port, "/health/ready");
    ctx.verify(() -> {
      assertThat(metricsOff.status()).isEqualTo(404);
      assertThat(metricsOff.body()).contains("metrics = false");
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(post.status()).isEqualTo(405);
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.body()).isEmpty();
    });
    ctx.completeNow();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
