package de.ackservice.config;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The client's settings. It shares {@code port} and {@code framing} with the server, so one config file describes
 * both ends of a deployment; {@code clientHost} is where to connect (the server's {@code host} is where to bind).
 */
public record ClientConfig(
  String host,
  int port,
  Framing framing,
  int connectTimeoutMs,
  int replyTimeoutMs,
  int window) {

  public static final String CLIENT_HOST = "clientHost";
  public static final String CONNECT_TIMEOUT_MS = "connectTimeoutMs";
  public static final String REPLY_TIMEOUT_MS = "replyTimeoutMs";
  public static final String CLIENT_WINDOW = "clientWindow";

  public static final List<String> KEYS = List.of(CLIENT_HOST, CONNECT_TIMEOUT_MS, REPLY_TIMEOUT_MS, CLIENT_WINDOW);

  private static final int ONE_HOUR_MS = 3600 * 1000;

  public static ClientConfig from(Settings settings) {
    String host = settings.string(CLIENT_HOST, "127.0.0.1").trim();
    if (host.isEmpty()) {
      throw settings.invalid(CLIENT_HOST, settings.string(CLIENT_HOST, ""), "must name the server's address, e.g. 127.0.0.1");
    }
    return new ClientConfig(
      host,
      settings.integer(ServerConfig.PORT, 5000, 1, 65535),
      settings.choice(ServerConfig.FRAMING, Framing.RAW, Framing.class),
      settings.integer(CONNECT_TIMEOUT_MS, 5_000, 1, ONE_HOUR_MS),
      settings.integer(REPLY_TIMEOUT_MS, 10_000, 1, ONE_HOUR_MS),
      settings.integer(CLIENT_WINDOW, 256, 1, 65_536));
  }

  public static ClientConfig fromJson(JsonObject json) {
    return from(Settings.ofFile(json));
  }
}
