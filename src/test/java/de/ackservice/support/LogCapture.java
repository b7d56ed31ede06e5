package de.ackservice.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects one logger's events, from any thread: safe to read while an event loop still logs. {@link #close()}
 * detaches it and puts the logger's level back.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

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

  @Override
  protected void append(ILoggingEvent event) {
    events.add(event);
  }

  @Override
  public void close() {
    logger.detachAppender(this);
    logger.setLevel(previousLevel);
    stop();
  }
}
