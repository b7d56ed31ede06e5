package de.ackservice.client;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.spi.ContextAwareBase;

import java.io.PrintStream;

/**
 * The client's logging, set up in code: warnings and errors of the libraries (Vert.x, Netty) as one line each on
 * stderr, nothing else. The client prints what it has to say itself; what it needs from logback is only that a
 * library's warning is not lost.
 *
 * <p>Why not {@code logback.xml}: parsing it (Joran, an XML parser, the pattern layouts) costs about 0.4 s of a
 * one-line session's start-up, more than everything else the client does. logback 1.5 asks the
 * {@link Configurator}s named in {@code META-INF/services} before it looks for {@code logback.xml}; this one answers
 * only when {@link #use()} was called before the first logger, i.e. in the client's process. Everywhere else (the
 * server, the load generator, tests) it passes, and {@code logback.xml} with its text and JSON formats applies
 * unchanged.
 */
public final class ClientLogging extends ContextAwareBase implements Configurator {

  private static volatile boolean inClient;

  /** Called by the client's {@code main} before anything logs: from then on this configurator answers. */
  static void use() {
    inClient = true;
  }

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (!inClient) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    StderrAppender appender = new StderrAppender(System.err);
    appender.setContext(context);
    appender.setName("stderr");
    appender.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(appender);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** {@code WARN Logger - message}, and the exception's own description, one line on stderr. */
  private static final class StderrAppender extends AppenderBase<ILoggingEvent> {

    private final PrintStream err;

    StderrAppender(PrintStream err) {
      this.err = err;
    }

    @Override
    protected void append(ILoggingEvent event) {
      String logger = event.getLoggerName();
      String thrown = event.getThrowableProxy() == null ? ""
        : ": " + event.getThrowableProxy().getClassName() + ": " + event.getThrowableProxy().getMessage();
      err.println(event.getLevel() + " " + logger.substring(logger.lastIndexOf('.') + 1) + " - "
        + event.getFormattedMessage() + thrown);
    }
  }
}
