package de.ackservice;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The service's logging, set up in code: the one place that says where log lines go and in which format. logback
 * 1.5 asks the {@link Configurator}s named in {@code META-INF/services} before it would look for a
 * {@code logback.xml}; this one configures everything, so no XML is parsed at start-up (Joran, an XML parser and
 * its model cost about 0.3 s and some 600 classes of a process's start-up; see README "Performance").
 *
 * <ul>
 *   <li>{@code LOG_FORMAT} (environment or {@code -DLOG_FORMAT=...}, see {@link LogFormat}): {@code text} (the
 *       default) for people, {@code json} (logback's {@link JsonEncoder}, one object per line) for log collectors;
 *       both on stdout.</li>
 *   <li>{@code LOG_LEVEL} (environment or {@code -DLOG_LEVEL=...}) sets the service's own level ({@code de.ackservice},
 *       default INFO): DEBUG adds one line per received payload, escaped and truncated.</li>
 * </ul>
 *
 * <p>Who else configures: a {@code logback-test.xml} on the class path (the tests') or {@code
 * -Dlogback.configurationFile=...} (an operator's own file) still win: this configurator then steps aside and
 * logback reads that file as usual.
 */
@ConfiguratorRank(ConfiguratorRank.NOMINAL)
public final class ServiceLogging extends ContextAwareBase implements Configurator {

  /** The text format: a line's key-value pairs follow its message ({@code remote=... bytes=...}). */
  public static final String TEXT_PATTERN =
    "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{0} - %msg%replace( %kvp{NONE}){'^ $', ''}%n";

  static final String LEVEL_VARIABLE = "LOG_LEVEL";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null
      || ServiceLogging.class.getClassLoader().getResource("logback-test.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    LogFormat format = new LogFormat();
    format.setContext(context);
    ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
    stdout.setContext(context);
    stdout.setName("STDOUT");
    stdout.setEncoder(encoder(context, format.getPropertyValue()));
    stdout.start();

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(stdout);
    context.getLogger("de.ackservice").setLevel(serviceLevel());
    context.getLogger("io.netty").setLevel(Level.WARN);
    context.getLogger("io.vertx").setLevel(Level.INFO);
    // Vert.x registers its active-connections gauge again for every connection and relies on the registry keeping
    // the first; Micrometer warns about that once per meter. Nothing else of Micrometer's logs above INFO.
    context.getLogger("io.micrometer.core.instrument.MeterRegistry").setLevel(Level.ERROR);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** The encoder of {@code format} ({@code text} or {@code json}, as {@link LogFormat} decided). */
  static Encoder<ILoggingEvent> encoder(LoggerContext context, String format) {
    if (format.equals("json")) {
      // Fields: timestamp (epoch ms), level, threadName, loggerName, formattedMessage, kvpList (the line's key-value
      // pairs, e.g. remote, bytes, messages, reason) and throwable.
      JsonEncoder json = new JsonEncoder();
      json.setContext(context);
      json.setWithSequenceNumber(false);
      json.setWithNanoseconds(false);
      json.setWithContext(false);
      json.setWithMDC(false);
      json.setWithMessage(false);
      json.setWithArguments(false);
      json.setWithFormattedMessage(true);
      json.start();
      return json;
    }
    PatternLayoutEncoder text = new PatternLayoutEncoder();
    text.setContext(context);
    text.setPattern(TEXT_PATTERN);
    text.start();
    return text;
  }

  /** {@code LOG_LEVEL}, or INFO when unset or not a level (logback's own rule for an unknown name). */
  private static Level serviceLevel() {
    String value = System.getProperty(LEVEL_VARIABLE, System.getenv(LEVEL_VARIABLE));
    return Level.toLevel(value == null ? null : value.trim(), Level.INFO);
  }
}
