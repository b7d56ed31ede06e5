package de.ackservice.config;

import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.List;

/**
 * Everything the server needs to know, parsed once and validated: an instance of this record is always usable.
 * The keys, their defaults and meanings are documented in README.md; {@code conf/config.json} lists them all.
 */
public record ServerConfig(
  String host,
  int port,
  int instances,
  Framing framing,
  String ack,
  int maxLineBytes,
  int maxConnections,
  OverLimitPolicy overLimitPolicy,
  int idleTimeoutMs,
  int shutdownGraceMs,
  int writeQueueMaxBytes,
  ManagementConfig management,
  TlsConfig tls,
  boolean proxyProtocol) {

  public static final String HOST = "host";
  public static final String PORT = "port";
  public static final String INSTANCES = "instances";
  public static final String FRAMING = "framing";
  public static final String ACK = "ack";
  public static final String MAX_LINE_BYTES = "maxLineBytes";
  public static final String MAX_CONNECTIONS = "maxConnections";
  public static final String OVER_LIMIT_POLICY = "overLimitPolicy";
  public static final String IDLE_TIMEOUT_MS = "idleTimeoutMs";
  public static final String SHUTDOWN_GRACE_MS = "shutdownGraceMs";
  public static final String WRITE_QUEUE_MAX_BYTES = "writeQueueMaxBytes";
  public static final String PROXY_PROTOCOL = "proxyProtocol";

  public static final List<String> KEYS = keys(List.of(HOST, PORT, INSTANCES, FRAMING, ACK, MAX_LINE_BYTES,
    MAX_CONNECTIONS, OVER_LIMIT_POLICY, IDLE_TIMEOUT_MS, SHUTDOWN_GRACE_MS, WRITE_QUEUE_MAX_BYTES),
    ManagementConfig.KEYS, TlsConfig.KEYS, List.of(PROXY_PROTOCOL));

  public static final String DEFAULT_ACK = "Daten erfolgreich empfangen!";
  private static final int MAX_ACK_BYTES = 4096;
  private static final int ONE_DAY_MS = 24 * 3600 * 1000;

  public static ServerConfig from(Settings settings) {
    String host = settings.string(HOST, "0.0.0.0").trim();
    if (host.isEmpty()) {
      throw settings.invalid(HOST, settings.string(HOST, ""), "must name an address to listen on, e.g. 0.0.0.0");
    }
    Framing framing = settings.choice(FRAMING, Framing.RAW, Framing.class);
    String ack = settings.string(ACK, DEFAULT_ACK);
    if (ack.isEmpty() || ack.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_ACK_BYTES) {
      throw settings.invalid(ACK, ack, "must be between 1 and " + MAX_ACK_BYTES + " bytes of UTF-8");
    }
    if (framing == Framing.LINE && (ack.indexOf('\n') >= 0 || ack.indexOf('\r') >= 0)) {
      throw settings.invalid(ACK, ack, "must not contain a line break in line framing");
    }
    int instances = settings.integer(INSTANCES, 0, 0, 1024);
    return new ServerConfig(
      host,
      settings.integer(PORT, 5000, 0, 65535),
      instances == 0 ? automaticInstances() : instances,
      framing,
      ack,
      settings.integer(MAX_LINE_BYTES, 64 * 1024, 1, 64 * 1024 * 1024),
      settings.integer(MAX_CONNECTIONS, 0, 0, 10_000_000),
      settings.choice(OVER_LIMIT_POLICY, OverLimitPolicy.QUEUE, OverLimitPolicy.class),
      settings.integer(IDLE_TIMEOUT_MS, 0, 0, ONE_DAY_MS),
      settings.integer(SHUTDOWN_GRACE_MS, 10_000, 0, ONE_DAY_MS),
      settings.integer(WRITE_QUEUE_MAX_BYTES, 64 * 1024, 1024, 64 * 1024 * 1024),
      ManagementConfig.from(settings),
      TlsConfig.from(settings),
      settings.flag(PROXY_PROTOCOL, false));
  }

  /** A config from a JSON object laid out like {@code conf/config.json}; absent keys take their defaults. */
  public static ServerConfig fromJson(JsonObject json) {
    return from(Settings.ofFile(json));
  }

  /**
   * Half the processors, at least one. Each instance is an event loop doing syscalls; the kernel's TCP work (and,
   * on a shared box, the clients) needs the other cores: measured in README "Performance", one loop beats two on
   * two cores.
   */
  static int automaticInstances() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }

  public boolean limitsConnections() {
    return maxConnections > 0;
  }

  @SafeVarargs
  private static List<String> keys(List<String>... groups) {
    return Arrays.stream(groups).flatMap(List::stream).toList();
  }
}
