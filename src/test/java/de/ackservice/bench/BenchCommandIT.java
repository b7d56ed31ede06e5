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
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The documented command: {@code java -jar ack-fat.jar bench ...} from the packaged jar. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class BenchCommandIT {

  @Test
  void theJarRunsTheBenchmarkAndWritesItsReport(Vertx vertx, VertxTestContext ctx, @TempDir Path dir) {
    ServerState server = new ServerState(TestConfigs.server(new JsonObject()
      .put("host", "127.0.0.1").put("port", 0).put("instances", 1).put("framing", "line")));
    Path json = dir.resolve("report.json");
    Path out = dir.resolve("stdout.txt");
    TestServers.deploy(vertx, server)
      .compose(id -> vertx.executeBlocking(() -> {
        Process bench = new ProcessBuilder(List.of("java", "-jar", System.getProperty("ackservice.jar"), "bench",
          "--port", String.valueOf(server.port()), "--framing", "line", "--mode", "pipe", "--connections", "3",
          "--warmup", "0", "--messages", "1000", "--json", json.toString()))
          .redirectOutput(out.toFile())
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
        try {
          if (!bench.waitFor(90, TimeUnit.SECONDS)) {
            throw new AssertionError("bench did not end within 90 s");
          }
          return bench.exitValue();
        } finally {
          bench.destroyForcibly();
        }
      }))
      .onComplete(ctx.succeeding(status -> ctx.verify(() -> {
        assertEquals(0, status);
        assertEquals(1000, new JsonObject(Files.readString(json)).getLong("acks"));
        String table = Files.readString(out);
        assertTrue(table.contains("acks              1,000 measured, 1,000 in all"), table);
        assertTrue(table.contains("3 ok, 0 failed"), table);
        ctx.completeNow();
      })));
  }
}
