package de.ackservice.client;

import de.ackservice.LibrarySwitches;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;

import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The client's logging: warnings and errors of the libraries (Vert.x, Netty) as one line each on stderr, nothing
 * else. The client prints what it has to say itself; what it needs from logging is only that a library's warning is
 * not lost.
 *
 * <p>Why the JDK's own {@code java.util.logging} and not logback, which the server uses: a one-line session has no
 * use for logback's machinery, and starting it (SLF4J's provider lookup, the logger context, the configurator
 * chain) cost about 60 ms of the session's start-up; {@code java.util.logging} comes with the JDK and its
 * class-data archive. Each library is switched by its documented means: Vert.x by the system property
 * {@code vertx.logger-delegate-factory-class-name} (read when its logger factory is first used), Netty by
 * {@link InternalLoggerFactory#setDefaultFactory} (before its first logger). An operator's own
 * {@code -Djava.util.logging.config.file} wins over the level and format set here.
 */
final class ClientLogging {

  private ClientLogging() {
  }

  /** Called by the client's {@code main} before any library class that logs is loaded. */
  static void use() {
    LibrarySwitches.setUnlessGiven("vertx.logger-delegate-factory-class-name",
      "io.vertx.core.logging.JULLogDelegateFactory");
    InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    if (System.getProperty("java.util.logging.config.file") != null) {
      return;
    }
    Logger root = Logger.getLogger("");
    root.setLevel(Level.WARNING);
    // The JDK's default configuration gives the root logger one ConsoleHandler, which writes to stderr.
    for (Handler handler : root.getHandlers()) {
      handler.setFormatter(new OneLine());
    }
  }

  /** {@code WARNING Logger - message: ExceptionClass: its message}, one line. */
  static final class OneLine extends Formatter {

    @Override
    public String format(LogRecord record) {
      String logger = record.getLoggerName() == null ? "" : record.getLoggerName();
      Throwable thrown = record.getThrown();
      return record.getLevel() + " " + logger.substring(logger.lastIndexOf('.') + 1) + " - " + formatMessage(record)
        + (thrown == null ? "" : ": " + thrown.getClass().getName() + ": " + thrown.getMessage())
        + System.lineSeparator();
    }
  }
}
