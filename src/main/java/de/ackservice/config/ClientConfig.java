package de.ackservice.config;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

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

  public static final String CLIENT_HOST = "clientHost";
  public static final String CONNECT_TIMEOUT_MS = "connectTimeoutMs";
  public static final String REPLY_TIMEOUT_MS = "replyTimeoutMs";
  public static final String CLIENT_WINDOW = "clientWindow";

  public static final List<String> KEYS = Stream.concat(
    Stream.of(CLIENT_HOST, CONNECT_TIMEOUT_MS, REPLY_TIMEOUT_MS, CLIENT_WINDOW), ClientTlsConfig.KEYS.stream()).toList();

  private static final int ONE_HOUR_MS = 3600 * 1000;
  /** The server's bound on {@code ack}; the same rules apply here so both ends accept the same file. */
  private static final int MAX_ACK_BYTES = 4096;

  public static ClientConfig from(Settings settings) {
    String host = settings.string(CLIENT_HOST, "127.0.0.1").trim();
    if (host.isEmpty()) {
      throw settings.invalid(CLIENT_HOST, settings.string(CLIENT_HOST, ""), "must name the server's address, e.g. 127.0.0.1");
    }
    Framing framing = settings.choice(ServerConfig.FRAMING, Framing.RAW, Framing.class);
    String ack = settings.string(ServerConfig.ACK, ServerConfig.DEFAULT_ACK);
    if (ack.isEmpty() || ack.getBytes(StandardCharsets.UTF_8).length > MAX_ACK_BYTES) {
      throw settings.invalid(ServerConfig.ACK, ack, "must be between 1 and " + MAX_ACK_BYTES + " bytes of UTF-8");
    }
    if (framing == Framing.LINE && (ack.indexOf('\n') >= 0 || ack.indexOf('\r') >= 0)) {
      throw settings.invalid(ServerConfig.ACK, ack, "must not contain a line break in line framing");
    }
    return new ClientConfig(
      host,
      settings.integer(ServerConfig.PORT, 5000, 1, 65535),
      framing,
      settings.integer(CONNECT_TIMEOUT_MS, 5_000, 1, ONE_HOUR_MS),
      settings.integer(REPLY_TIMEOUT_MS, 10_000, 1, ONE_HOUR_MS),
      settings.integer(CLIENT_WINDOW, 256, 1, 65_536),
      ack,
      settings.integer(ServerConfig.MAX_LINE_BYTES, 64 * 1024, 1, 64 * 1024 * 1024),
      ClientTlsConfig.from(settings));
  }

  /** The same settings with another server address (the client's positional {@code HOST PORT} arguments). */
  public ClientConfig withAddress(String newHost, int newPort) {
    return new ClientConfig(newHost, newPort, framing, connectTimeoutMs, replyTimeoutMs, window, ack, maxLineBytes,
      tls);
  }

  /** The acknowledgement as the server sends it in raw framing: its length delimits a reply. */
  public byte[] ackBytes() {
    return ack.getBytes(StandardCharsets.UTF_8);
  }

  public static ClientConfig fromJson(JsonObject json) {
    return from(Settings.ofFile(json));
  }
}
