package de.ackservice.config;

import de.ackservice.protocol.AckText;

import static de.ackservice.config.ConfigKey.CLIENT_HOST;
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
  String ack,
  int maxLineBytes,
  ClientTlsConfig tls) {

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
      ServerConfig.ackText(values, framing).text(),
      values.integer(MAX_LINE_BYTES),
      ClientTlsConfig.from(values));
  }

  /** The same settings with another server address (the client's positional {@code HOST PORT} arguments). */
  public ClientConfig withAddress(String newHost, int newPort) {
    return new ClientConfig(newHost, newPort, framing, connectTimeoutMs, replyTimeoutMs, window, ack, maxLineBytes,
      tls);
  }

  /** The acknowledgement the server sends, and its bytes on the wire. */
  public AckText ackText() {
    return AckText.of(ack, framing);
  }
}
