package de.ackservice.config;

import de.ackservice.transport.TransportPreference;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The keys read before Vert.x is built come from the same layers, by the same rules, as the configuration chain
 * reads them after: the file, then {@code ACK_*}, then {@code ack.*} (the environment is the process's own here).
 */
class VertxShapeTest {

  @AfterEach
  void clearProperties() {
    System.clearProperty("ack.transport");
    System.clearProperty("ack.metrics");
  }

  @Test
  void theKeysMarkedAsShapingVertxAreTransportAndWhatDecidesMetrics() {
    assertThat(Arrays.stream(ConfigKey.values()).filter(ConfigKey::shapesVertx))
      .containsExactly(ConfigKey.TRANSPORT, ConfigKey.MANAGEMENT_PORT, ConfigKey.METRICS);
  }

  @Test
  void defaultsAreAutoWithMetrics() {
    VertxShape shape = VertxShape.beforeVertx((JsonObject) null);
    assertThat(shape.transport()).isEqualTo(TransportPreference.AUTO);
    assertThat(shape.metrics()).isTrue();
  }

  @Test
  void theFileIsReadAndASystemPropertyBeatsIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("c.json");
    Files.writeString(file, new JsonObject().put("transport", "nio").put("managementPort", -1).encode());
    VertxShape fromFile = VertxShape.beforeVertx(file.toString());
    assertThat(fromFile.transport()).isEqualTo(TransportPreference.NIO);
    assertThat(fromFile.metrics()).as("no management endpoint, so no metrics").isFalse();

    System.setProperty("ack.transport", "io-uring");
    assertThat(VertxShape.beforeVertx(file.toString()).transport()).isEqualTo(TransportPreference.IO_URING);
  }

  @Test
  void aFileThatCannotBeParsedCountsAsEmptyTheChainReportsIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("broken.json");
    Files.writeString(file, "{ \"transport\": ");
    assertThat(VertxShape.beforeVertx(file.toString()).transport()).isEqualTo(TransportPreference.AUTO);
    assertThat(VertxShape.beforeVertx(dir.resolve("missing.json").toString()).transport())
      .isEqualTo(TransportPreference.AUTO);
  }

  @Test
  void aBadValueNamesTheKeyAndTheLayer() {
    System.setProperty("ack.transport", "kqueue");
    assertThatThrownBy(() -> VertxShape.beforeVertx((JsonObject) null))
      .isInstanceOf(ConfigException.class)
      .hasMessage("Invalid configuration: transport = 'kqueue' (from system property ack.transport) must be one of: "
        + "auto, io_uring, epoll, nio");
  }

  @Test
  void theChainMustReadWhatVertxWasBuiltWith() {
    VertxShape before = VertxShape.beforeVertx(new JsonObject().put("transport", "epoll"));
    before.mustAgreeWith(VertxShape.from(new ConfigValues(new JsonObject().put("transport", "EPOLL"))));
    assertThatThrownBy(() -> before.mustAgreeWith(VertxShape.from(new ConfigValues(new JsonObject()
      .put("transport", "epoll").put("metrics", false)))))
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining("transport=epoll, metrics on")
      .hasMessageContaining("transport=epoll, metrics off");
  }

  @Test
  void nioIsAlwaysAvailable() {
    assertThat(VertxShape.beforeVertx(new JsonObject().put("transport", "nio")).selectTransport().name())
      .isEqualTo("nio");
  }
}
