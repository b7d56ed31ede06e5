package de.ackservice.overload;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import com.sun.management.UnixOperatingSystemMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Descriptor exhaustion as one clear line instead of a stack trace a second. When accept() fails, Netty's
 * ServerBootstrapAcceptor stops reading the listening socket for one second (its own back-off: no spin) and passes
 * the exception down the server channel's pipeline, whose tail logs it at WARN through the logger
 * {@code io.netty.channel.DefaultChannelPipeline} ("An exceptionCaught() event was fired, and it reached at the
 * tail..."). That log call is the one place the failure surfaces without Netty internals, so this logback
 * TurboFilter takes it there: it drops that event when its cause is "Too many open files", counts it, and says so
 * once per {@link #REPEAT_EVERY_NANOS} while it lasts; {@link #accepted()} (the connect handler's hook) says when
 * accepting works again.
 *
 * <p>Hooks: {@link #install()} once at start-up; {@link #accepted()} per accepted connection (one volatile read).
 */
public final class AcceptFailures extends TurboFilter {

  static final String NETTY_PIPELINE_LOGGER = "io.netty.channel.DefaultChannelPipeline";
  static final long REPEAT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private static final Logger log = LoggerFactory.getLogger(AcceptFailures.class);

  private final LongAdder failures = new LongAdder();
  private final LongSupplier nanoTime;
  private volatile boolean exhausted;
  private long lastLoggedNanos;

  public AcceptFailures() {
    this(System::nanoTime);
  }

  AcceptFailures(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** Adds the filter to logback's context (the service logs through logback); a no-op under another backend. */
  public AcceptFailures install() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      setContext(context);
      start();
      context.addTurboFilter(this);
    }
    return this;
  }

  public void uninstall() {
    if (getContext() instanceof LoggerContext context) {
      context.getTurboFilterList().remove(this);
    }
  }

  @Override
  public FilterReply decide(Marker marker, ch.qos.logback.classic.Logger logger, Level level, String format,
                            Object[] params, Throwable t) {
    if (t == null || !NETTY_PIPELINE_LOGGER.equals(logger.getName()) || !tooManyOpenFiles(t)) {
      return FilterReply.NEUTRAL;
    }
    failed();
    return FilterReply.DENY;
  }

  /** One failed accept (Netty then pauses accepting for a second). */
  void failed() {
    failures.increment();
    boolean say;
    synchronized (this) {
      long now = nanoTime.getAsLong();
      say = !exhausted || now - lastLoggedNanos >= REPEAT_EVERY_NANOS;
      if (say) {
        lastLoggedNanos = now;
      }
      exhausted = true;
    }
    if (say) {
      log.warn("cannot accept connections: too many open files (limit {}); established connections are still served",
        descriptorLimit());
    }
  }

  /** A connection was accepted: if accepting had failed, say once that it works again. */
  public void accepted() {
    if (exhausted) {
      synchronized (this) {
        if (!exhausted) {
          return;
        }
        exhausted = false;
      }
      log.info("accepting connections again (descriptors available)");
    }
  }

  /** Failed accepts since start (each is followed by Netty's one-second pause). */
  public long failures() {
    return failures.sum();
  }

  /** True from a failed accept until the next accepted connection. */
  public boolean exhausted() {
    return exhausted;
  }

  static boolean tooManyOpenFiles(Throwable t) {
    for (Throwable cause = t; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      String message = cause.getMessage();
      if (message != null && message.contains("Too many open files")) {
        return true;
      }
    }
    return false;
  }

  /** The process's descriptor limit (soft), or -1 where the JVM cannot tell. */
  static long descriptorLimit() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
      ? unix.getMaxFileDescriptorCount() : -1;
  }
}
