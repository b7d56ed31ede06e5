package de.ackservice.transport;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The {@code transport} setting: which of Netty's socket transports a Vert.x instance of this process runs on.
 * {@link #AUTO} takes the fastest one the kernel and the container runtime allow (io_uring, then epoll, then NIO);
 * the others insist on one transport and make start-up fail when it is not there.
 */
public enum TransportPreference {
  AUTO("auto"),
  IO_URING("io_uring"),
  EPOLL("epoll"),
  NIO("nio");

  private final String configValue;

  TransportPreference(String configValue) {
    this.configValue = configValue;
  }

  /** The spelling in the configuration ({@code io_uring}, not {@code IO_URING}). */
  public String configValue() {
    return configValue;
  }

  /**
   * Parses a configuration value (case and surrounding blanks ignored; {@code io-uring} is accepted as well, as
   * people write it both ways).
   *
   * @param key the configuration key the value came from, named in the error
   * @throws TransportException when the value is none of the four
   */
  public static TransportPreference parse(String key, String value) {
    String normal = value == null ? "" : value.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    for (TransportPreference p : values()) {
      if (p.configValue.equals(normal)) {
        return p;
      }
    }
    throw new TransportException(key, key + ": '" + value + "' is not a transport; use one of "
        + Arrays.stream(values()).map(TransportPreference::configValue).collect(Collectors.joining(", ")));
  }
}
