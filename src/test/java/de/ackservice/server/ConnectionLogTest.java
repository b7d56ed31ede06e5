package de.ackservice.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import de.ackservice.support.Acks;
import de.ackservice.support.BlockingClient;
import de.ackservice.support.Conditions;
import de.ackservice.support.LogCapture;
import de.ackservice.support.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ConnectionLogTest {

  private LogCapture capture;
  private Logger logger;

  @BeforeEach
  void capture() {
    capture = LogCapture.attach(AckConnection.class);
    logger = capture.logger();
  }

  @AfterEach
  void release() {
    capture.close();
  }

  @Test
  void logsOpenAndCloseAtInfoWithTotalsAndNothingPerMessage(Vertx vertx, VertxTestContext ctx) throws Exception {
    logger.setLevel(Level.INFO);
    ServerState server = start(vertx, new JsonObject().put("framing", "line"));
    try (BlockingClient client = new BlockingClient(server.port())) {
      client.send("eins\nzwei\ndrei\n");
      assertThat(client.finishAndReadAll()).isEqualTo(Acks.lines(3));
    }
    Conditions.await(vertx, "close logged", () -> messages().stream().anyMatch(m -> m.startsWith("connection closed")))
      .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    List<ILoggingEvent> events = List.copyOf(capture.events);
    ctx.verify(() -> {
      assertThat(events).hasSize(2);
      assertThat(events).allSatisfy(event -> assertThat(event.getLevel()).isEqualTo(Level.INFO));
      assertThat(events.get(0).getFormattedMessage()).isEqualTo("connection opened");
      assertThat(LogCapture.keyValues(events.get(0))).containsOnlyKeys("remote");
      assertThat(LogCapture.keyValues(events.get(0)).get("remote")).asString().matches("127\\.0\\.0\\.1:\\d+");

      assertThat(events.get(1).getFormattedMessage()).isEqualTo("connection closed");
      Map<String, Object> closed = LogCapture.keyValues(events.get(1));
      assertThat(closed).containsOnlyKeys("remote", "bytes", "messages", "durationMs", "reason");
      assertThat(closed.get("remote")).isEqualTo(LogCapture.keyValues(events.get(0)).get("remote"));
      assertThat(closed).containsEntry("bytes", 15L).containsEntry("messages", 3L)
        .containsEntry("reason", "closed by client");
      assertThat(closed.get("durationMs")).isInstanceOf(Long.class);
    });
    ctx.completeNow();
  }

  @Test
  void theTextFormatShowsTheKeyValuesAfterTheMessage(Vertx vertx, VertxTestContext ctx) throws Exception {
    logger.setLevel(Level.INFO);
    ServerState server = start(vertx, new JsonObject());
    try (BlockingClient client = new BlockingClient(server.port())) {
      assertThat(client.send("x").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
    }
    Conditions.await(vertx, "close logged", () -> messages().stream().anyMatch(m -> m.startsWith("connection closed")))
      .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    ILoggingEvent closed = capture.events.stream()
      .filter(e -> e.getFormattedMessage().equals("connection closed")).findFirst().orElseThrow();
    // The service's text pattern (ServiceLogging), applied to the captured event.
    PatternLayout layout = new PatternLayout();
    layout.setContext(logger.getLoggerContext());
    layout.setPattern(de.ackservice.ServiceLogging.TEXT_PATTERN);
    layout.start();
    String line = layout.doLayout(closed);
    ctx.verify(() -> assertThat(line).matches(".* INFO  \\[.*\\] AckConnection - connection closed "
      + "remote=127\\.0\\.0\\.1:\\d+ bytes=1 messages=1 durationMs=\\d+ reason=closed by client\n"));
    ctx.completeNow();
  }

  @Test
  void logsPayloadsOnlyAtDebugEscaped(Vertx vertx, VertxTestContext ctx) throws Exception {
    logger.setLevel(Level.DEBUG);
    ServerState server = start(vertx, new JsonObject());
    try (BlockingClient client = new BlockingClient(server.port())) {
      assertThat(client.send("böse\nFAKE LOG LINE\u001b").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
    }
    Conditions.await(vertx, "close logged", () -> messages().stream().anyMatch(m -> m.startsWith("connection closed")))
      .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    ctx.verify(() -> assertThat(capture.events)
      .anySatisfy(event -> {
        assertThat(event.getLevel()).isEqualTo(Level.DEBUG);
        assertThat(event.getFormattedMessage()).endsWith(" sent \"böse\\nFAKE LOG LINE\\u001b\"");
      }));
    ctx.completeNow();
  }

  private List<String> messages() {
    return capture.events.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  private static ServerState start(Vertx vertx, JsonObject config) throws Exception {
    return TestServers.start(vertx, config.put("instances", 1))
      .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
