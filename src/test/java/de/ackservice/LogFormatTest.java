package de.ackservice;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** LOG_FORMAT picks the service's log format: json or text, and text with a warning for anything else. */
class LogFormatTest {

  private final LoggerContext context = new LoggerContext();

  @AfterEach
  void clear() {
    System.clearProperty(LogFormat.VARIABLE);
  }

  @ParameterizedTest(name = "LOG_FORMAT=''{0}'' -> {1}")
  @CsvSource({"json, json", "JSON, json", "' json ', json", "text, text", "'', text"})
  void knownValuesChooseTheirFormat(String value, String format) {
    System.setProperty(LogFormat.VARIABLE, value);

    assertThat(definer().getPropertyValue()).isEqualTo(format);
    assertThat(context.getStatusManager().getCopyOfStatusList()).noneMatch(s -> s.getLevel() >= Status.WARN);
  }

  @Test
  void anUnknownValueLogsAsTextAndSaysSo() {
    System.setProperty(LogFormat.VARIABLE, "xml");

    assertThat(definer().getPropertyValue()).isEqualTo("text");
    assertThat(context.getStatusManager().getCopyOfStatusList())
      .anySatisfy(s -> assertThat(s.getMessage()).contains("LOG_FORMAT=xml is neither 'text' nor 'json'"));
  }

  @Test
  void eachFormatHasItsEncoder() {
    ch.qos.logback.classic.spi.LoggingEvent event = new ch.qos.logback.classic.spi.LoggingEvent(
      getClass().getName(), context.getLogger("de.ackservice.Example"), ch.qos.logback.classic.Level.INFO,
      "connection closed", null, null);
    event.addKeyValuePair(new org.slf4j.event.KeyValuePair("bytes", 5));

    String json = new String(ServiceLogging.encoder(context, "json").encode(event),
      java.nio.charset.StandardCharsets.UTF_8);
    String text = new String(ServiceLogging.encoder(context, "text").encode(event),
      java.nio.charset.StandardCharsets.UTF_8);

    io.vertx.core.json.JsonObject line = new io.vertx.core.json.JsonObject(json);
    assertThat(line.getString("formattedMessage")).isEqualTo("connection closed");
    assertThat(line.getString("level")).isEqualTo("INFO");
    assertThat(line.getString("loggerName")).isEqualTo("de.ackservice.Example");
    assertThat(line.containsKey("mdc")).isFalse();
    assertThat(text).matches("\\d{4}-\\d\\d-\\d\\dT.* INFO  \\[.*\\] Example - connection closed bytes=5\n");
  }

  private LogFormat definer() {
    LogFormat definer = new LogFormat();
    definer.setContext(context);
    return definer;
  }
}
