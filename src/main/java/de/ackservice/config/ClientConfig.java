package de.ackservice.config;

import de.ackservice.protocol.AckText;

import static de.ackservice.config.ConfigKey.CLIENT_BUSY_POLL_MICROS;
import static de.ackservice.config.ConfigKey.CLIENT_HOST;
import static de.ackservice.config.ConfigKey.CLIENT_RECONNECT;
import static de.ackservice.config.ConfigKey.CLIENT_RECONNECT_ATTEMPTS;
import static de.ackservice.config.ConfigKey.CLIENT_RECONNECT_BACKOFF_MS;
import static de.ackservice.config.ConfigKey.CLIENT_RECONNECT_MAX_BACKOFF_MS;
import static de.ackservice.config.ConfigKey.CLIENT_WINDOW;
import static de.ackservice.config.ConfigKey.CONNECT_TIMEOUT_MS;
import static de.ackservice.config.ConfigKey.FRAMING;
import static de.ackservice.config.ConfigKey.MAX_LINE_BYTES;
import static de.ackservice.config.ConfigKey.PORT;
import static de.ackservice.config.ConfigKey.REPLY_TIMEOUT_MS;

/**
 * The client's settings. It shares {@code port}, {@code framing}, {@code ack} and {@code maxLineBytes} with the
 * server, so one config file describes both ends of a deployment; {@code clientHost} is where to connect (the
 * server's {@code host} is where to bind). The client needs the acknowledgement text because in raw framing a reply
 * has no delimiter: it is complete when as many bytes as the acknowledgement has have arrived.
 */
public record ClientConfig(
  String host,
  int port,
  Framing framing,
  int connectTimeoutMs,
  int replyTimeoutMs,
  int window,
  int busyPollMicros,
  String ack,
  int maxLineBytes,
  ClientTlsConfig tls,
  Reconnect reconnect) {

  /**
   * What the client does when it loses its connection ({@code clientReconnect} and its bounds): nothing
   * ({@link #OFF}), or up to {@code attempts} connection attempts, the n-th after {@link #pauseMs(int)}.
   */
  public record Reconnect(boolean enabled, int attempts, int backoffMs, int maxBackoffMs) {

    public static final Reconnect OFF = new Reconnect(false, 0, 0, 0);

    static Reconnect from(ConfigValues values, Framing framing) {
      boolean enabled = values.flag(CLIENT_RECONNECT);
      int attempts = values.integer(CLIENT_RECONNECT_ATTEMPTS);
      int backoff = values.integer(CLIENT_RECONNECT_BACKOFF_MS);
      int maxBackoff = values.integer(CLIENT_RECONNECT_MAX_BACKOFF_MS);
      if (enabled && framing != Framing.LINE) {
        // Raw framing has no message boundaries: after a loss nobody can tell which bytes the server had read.
        throw values.invalid(CLIENT_RECONNECT, "needs framing = line (in raw framing a lost connection leaves no "
          + "way to tell which lines the server had read)");
      }
      return enabled ? new Reconnect(true, attempts, backoff, maxBackoff) : OFF;
    }

    /** Exponential backoff with a cap: the pause before attempt {@code attempt} (1, 2, ...). */
    public long pauseMs(int attempt) {
      long pause = backoffMs;
      for (int i = 1; i < attempt && pause < maxBackoffMs; i++) {
        pause *= 2;
      }
      return Math.min(pause, maxBackoffMs);
    }
  }

  public static ClientConfig from(ConfigValues values) {
    Framing framing = values.choice(FRAMING, Framing.class);
    int port = values.integer(PORT);
    if (port == 0) {
      // The server may listen on any free port; the client must be told which one.
      throw values.invalid(PORT, "must be between 1 and 65535");
    }
    return new ClientConfig(
      values.text(CLIENT_HOST),
      port,
      framing,
      values.integer(CONNECT_TIMEOUT_MS),
      values.integer(REPLY_TIMEOUT_MS),
      values.integer(CLIENT_WINDOW),
      values.integer(CLIENT_BUSY_POLL_MICROS),
      ServerConfig.ackText(values, framing).text(),
      values.integer(MAX_LINE_BYTES),
      ClientTlsConfig.from(values),
      Reconnect.from(values, framing));
  }

  /** The same settings with another server address (the client's positional {@code HOST PORT} arguments). */
  public ClientConfig withAddress(String newHost, int newPort) {
    return new ClientConfig(newHost, newPort, framing, connectTimeoutMs, replyTimeoutMs, window, busyPollMicros, ack,
      maxLineBytes, tls, reconnect);
  }

  /** The acknowledgement the server sends, and its bytes on the wire. */
  public AckText ackText() {
    return AckText.of(ack, framing);
  }
}
