package de.ackservice.bench;

import de.ackservice.config.TestConfigs;
import de.ackservice.support.TestServers;
import de.ackservice.config.ServerConfig;
import de.ackservice.server.ServerState;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The command line: exit status, and the JSON file for scripts. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class BenchMainTest {

  @Test
  void badOptionsExitWithStatus2WithoutRunning(@TempDir Path dir) {
    assertEquals(2, BenchMain.run(new String[] {"--connections", "-1", "--json", dir.resolve("r.json").toString()}));
    assertFalse(Files.exists(dir.resolve("r.json")));
  }

  @Test
  void helpExitsWith0() {
    assertEquals(0, BenchMain.run(new String[] {"--help"}));
  }

  @Test
  void aCleanRunExits0AndWritesTheReportAsJson(Vertx vertx, VertxTestContext ctx, @TempDir Path dir) {
    ServerState server = new ServerState(TestConfigs.server(new JsonObject()
      .put("host", "127.0.0.1").put("port", 0).put("instances", 1)));
    Path json = dir.resolve("report.json");
    TestServers.deploy(vertx, server)
      // BenchMain blocks until its run is over: off the event loop.
      .compose(id -> vertx.executeBlocking(() -> BenchMain.run(new String[] {"--port", String.valueOf(server.port()),
        "--connections", "4", "--warmup", "0", "--messages", "400", "--json", json.toString()})))
      .onComplete(ctx.succeeding(status -> ctx.verify(() -> {
        assertEquals(0, status);
        JsonObject report = new JsonObject(Files.readString(json));
        assertEquals(400, report.getLong("acks"));
        assertEquals(400, report.getJsonObject("latencyMicros").getLong("count"));
        assertEquals(4, report.getLong("connectionsOk"));
        assertEquals(0, report.getLong("errors"));
        assertEquals(0, report.getLong("unexpectedBytes"));
        assertEquals("raw", report.getString("framing"));
        // The command line takes the configured transport (default auto) and says which.
        assertEquals(de.ackservice.transport.TransportSelector.ofThisPlatform()
          .select("transport", de.ackservice.transport.TransportPreference.AUTO).describe(),
          report.getString("transport"));
        ctx.completeNow();
      })));
  }

  @Test
  void aRunWithFailedConnectionsExits1(Vertx vertx, VertxTestContext ctx) {
    FakeServers.refusingPort(vertx)
      .compose(port -> vertx.executeBlocking(() -> BenchMain.run(new String[] {"--port", String.valueOf(port),
        "--connections", "2", "--duration", "0.1", "--warmup", "0"})))
      .onComplete(ctx.succeeding(status -> ctx.verify(() -> {
        assertEquals(1, status);
        ctx.completeNow();
      })));
  }
}
