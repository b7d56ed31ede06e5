package de.ackservice.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects one logger's events, from any thread: safe to read while an event loop still logs. {@link #close()}
 * detaches it and puts the logger's level back; as a test's {@code @RegisterExtension} field it is closed after each
 * test.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable, AfterEachCallback {

  public final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
  private final Logger logger;
  private final Level previousLevel;

  private LogCapture(Logger logger) {
    this.logger = logger;
    this.previousLevel = logger.getLevel();
  }

  public static LogCapture attach(Class<?> loggerOf) {
    return attach(loggerOf.getName());
  }

  /** Attached, and the logger set to {@code level} (put back by {@link #close()}). */
  public static LogCapture attach(Class<?> loggerOf, Level level) {
    LogCapture capture = attach(loggerOf);
    capture.logger.setLevel(level);
    return capture;
  }

  public static LogCapture attach(String loggerName) {
    LogCapture capture = new LogCapture((Logger) LoggerFactory.getLogger(loggerName));
    capture.setContext(capture.logger.getLoggerContext());
    capture.start();
    capture.logger.addAppender(capture);
    return capture;
  }

  public Logger logger() {
    return logger;
  }

  public List<String> messages() {
    return events.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  /** The first event logged with {@code message} (the unformatted message); fails when there is none. */
  public ILoggingEvent first(String message) {
    return events.stream().filter(e -> e.getMessage().equals(message)).findFirst()
      .orElseThrow(() -> new AssertionError("no event '" + message + "' among " + messages()));
  }

  /** How many events were logged with {@code message}. */
  public long count(String message) {
    return events.stream().filter(e -> e.getMessage().equals(message)).count();
  }

  /** An event's key-value pairs (the facts of a structured log line), in their order. */
  public static Map<String, Object> keyValues(ILoggingEvent event) {
    Map<String, Object> pairs = new LinkedHashMap<>();
    if (event.getKeyValuePairs() != null) {
      event.getKeyValuePairs().forEach(pair -> pairs.put(pair.key, pair.value));
    }
    return pairs;
  }

  @Override
  protected void append(ILoggingEvent event) {
    events.add(event);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }

  @Override
  public void close() {
    logger.detachAppender(this);
    logger.setLevel(previousLevel);
    stop();
  }
}
