package de.ackservice.config;

import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ConfigLoaderTest {

  @TempDir
  Path dir;

  @AfterEach
  void clearProperties() {
    System.clearProperty("ack.port");
    System.clearProperty("ack.prot");
  }

  @Test
  void readsTheShippedFile(Vertx vertx, VertxTestContext ctx) {
    ConfigLoader.load(vertx, "conf/config.json").onComplete(ctx.succeeding(settings -> ctx.verify(() -> {
      assertThat(ServerConfig.from(settings).port()).isEqualTo(5000);
      ctx.completeNow();
    })));
  }

  @Test
  void aSystemPropertyBeatsTheFile(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path file = write("{\"port\": 6000, \"framing\": \"line\"}");
    System.setProperty("ack.port", "7000");
    ConfigLoader.load(vertx, file.toString()).onComplete(ctx.succeeding(settings -> ctx.verify(() -> {
      ServerConfig config = ServerConfig.from(settings);
      assertThat(config.port()).isEqualTo(7000);
      assertThat(config.framing()).isEqualTo(Framing.LINE);
      ctx.completeNow();
    })));
  }

  @Test
  void acceptsInlineJsonLikeTheLauncher(Vertx vertx, VertxTestContext ctx) {
    ConfigLoader.load(vertx, "{\"maxConnections\": 3}").onComplete(ctx.succeeding(settings -> ctx.verify(() -> {
      assertThat(ServerConfig.from(settings).maxConnections()).isEqualTo(3);
      ctx.completeNow();
    })));
  }

  @Test
  void malformedJsonIsAnErrorNamingTheFile(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path file = write("{\"port\": 5000,");
    expectError(vertx, ctx, file.toString(), file + " is not a valid JSON object");
  }

  @Test
  void aMissingFileIsAnError(Vertx vertx, VertxTestContext ctx) {
    Path missing = dir.resolve("nope.json");
    expectError(vertx, ctx, missing.toString(), missing + ": the file does not exist or cannot be read");
  }

  @Test
  void anUnknownKeyInTheFileIsAnError(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path file = write("{\"maxConection\": 1}");
    expectError(vertx, ctx, file.toString(), "unknown key(s) [maxConection]");
  }

  @Test
  void anAckPropertyThatNamesNoKeyIsAnError(Vertx vertx, VertxTestContext ctx) {
    System.setProperty("ack.prot", "1");
    expectError(vertx, ctx, null, "system property ack.prot names no configuration key");
  }

  @Test
  void aJsonArrayIsNotAConfiguration(Vertx vertx) throws Exception {
    Path file = write("[1, 2]");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.load(vertx, file.toString()).await())
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining("is not a valid JSON object");
  }

  @Test
  void anEnvironmentVariableNameInTheFileIsAnUnknownKey(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path file = write("{\"ACK_PORT\": 1}");
    expectError(vertx, ctx, file.toString(), "unknown key(s) [ACK_PORT]");
  }

  private Path write(String json) throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, json);
    return file;
  }

  private static void expectError(Vertx vertx, VertxTestContext ctx, String conf, String message) {
    ConfigLoader.load(vertx, conf).onComplete(ctx.failing(error -> ctx.verify(() -> {
      assertThat(error).isInstanceOf(ConfigException.class).hasMessageContaining(message);
      ctx.completeNow();
    })));
  }
}
