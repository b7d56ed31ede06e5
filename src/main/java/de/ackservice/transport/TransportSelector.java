package de.ackservice.transport;

import io.vertx.core.transport.Transport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a {@link TransportPreference} into the Vert.x {@link Transport} to build an instance with, on Vert.x's public
 * API only ({@code Transport.IO_URING}, {@code available()}, {@code unavailabilityCause()}).
 *
 * <p>Why this exists: Vert.x 5.0 never picks io_uring by itself ({@code setPreferNativeTransport} means epoll on
 * Linux), yet io_uring costs less CPU per acknowledgement where the kernel allows it; and container runtimes' default
 * seccomp profiles often refuse it, so "io_uring if it works" has to be decided at run time, with the reason logged.
 *
 * <p>The choice must be made before the Vert.x instance is built: a Vert.x instance's transport is fixed for its
 * life ({@code VertxBuilder.withTransport}).
 */
public final class TransportSelector {

  private static final Pattern FAILED_WITH_ERRNO = Pattern.compile("failed[^:]*:([^:]+)$");

  private final Transport ioUring;
  private final Transport epoll;

  /**
   * @param ioUring {@code Transport.IO_URING}, or {@code null} when its Netty classes are missing (Vert.x gives
   *                {@code null} then)
   * @param epoll   {@code Transport.EPOLL}, likewise
   */
  TransportSelector(Transport ioUring, Transport epoll) {
    this.ioUring = ioUring;
    this.epoll = epoll;
  }

  /** The transports of this JVM and kernel, as Vert.x found them when its {@code Transport} class was loaded. */
  public static TransportSelector ofThisPlatform() {
    return new TransportSelector(Transport.IO_URING, Transport.EPOLL);
  }

  /**
   * @param key        the configuration key the preference came from, named when it cannot be honoured
   * @param preference what the configuration asks for
   * @return the transport to build the Vert.x instance with; for {@code auto}, also why io_uring was not taken
   * @throws TransportException when an explicitly requested transport is not available here (the message names the
   *                            key and the cause, e.g. {@code transport: io_uring is not available here: Operation
   *                            not permitted})
   */
  public SelectedTransport select(String key, TransportPreference preference) {
    return switch (preference) {
      case NIO -> new SelectedTransport(Transport.NIO, null);
      case IO_URING -> new SelectedTransport(required(key, "io_uring", ioUring), null);
      case EPOLL -> new SelectedTransport(required(key, "epoll", epoll), null);
      case AUTO -> firstAvailable();
    };
  }

  private SelectedTransport firstAvailable() {
    if (ioUring != null && ioUring.available()) {
      return new SelectedTransport(ioUring, null);
    }
    String ioUringRefusal = refusal("io_uring", ioUring);
    if (epoll != null && epoll.available()) {
      return new SelectedTransport(epoll, ioUringRefusal);
    }
    // Neither native transport: name both reasons, so that "why NIO?" has an answer in the log.
    return new SelectedTransport(Transport.NIO, ioUringRefusal + "; " + refusal("epoll", epoll));
  }

  private static Transport required(String key, String name, Transport transport) {
    if (transport != null && transport.available()) {
      return transport;
    }
    throw new TransportException(key, key + ": " + name + " is not available here: " + cause(name, transport)
        + " (use 'auto' to fall back to the best available transport)");
  }

  private static String refusal(String name, Transport transport) {
    return name + " refused: " + cause(name, transport);
  }

  /** The innermost message of the unavailability cause: the operating system's words, e.g. Operation not permitted. */
  static String cause(String name, Transport transport) {
    if (transport == null) {
      return "netty-transport-native-" + name + " is not on the class path";
    }
    Throwable t = transport.unavailabilityCause();
    if (t == null) {
      return "unavailable, no cause given";
    }
    for (int depth = 0; t.getCause() != null && t.getCause() != t && depth < 16; depth++) {
      t = t.getCause();
    }
    String message = t.getMessage();
    if (message == null || message.isBlank()) {
      return t.getClass().getSimpleName();
    }
    // Netty writes "failed to create io_uring ring fd: Operation not permitted" or "epoll_create1() failed: Function
    // not implemented": the operating system's words after the colon are the point.
    Matcher errno = FAILED_WITH_ERRNO.matcher(message);
    return errno.find() ? errno.group(1).trim() : message;
  }
}
