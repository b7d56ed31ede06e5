package de.ackservice;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** LOG_FORMAT picks the appender logback.xml includes: json or text, and text with a warning for anything else. */
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
  void bothFormatsExistAsIncludedConfigurations() {
    assertThat(getClass().getResource("/logback-text.xml")).isNotNull();
    assertThat(getClass().getResource("/logback-json.xml")).isNotNull();
  }

  private LogFormat definer() {
    LogFormat definer = new LogFormat();
    definer.setContext(context);
    return definer;
  }
}
