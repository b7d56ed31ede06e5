package de.ackservice.config;

import de.ackservice.protocol.AckText;

import static de.ackservice.config.ConfigKey.ACK;
import static de.ackservice.config.ConfigKey.EVENT_LOOP_SPIN_MICROS;
import static de.ackservice.config.ConfigKey.FRAMING;
import static de.ackservice.config.ConfigKey.HOST;
import static de.ackservice.config.ConfigKey.IDLE_TIMEOUT_MS;
import static de.ackservice.config.ConfigKey.INSTANCES;
import static de.ackservice.config.ConfigKey.MAX_CONNECTIONS;
import static de.ackservice.config.ConfigKey.MAX_LINE_BYTES;
import static de.ackservice.config.ConfigKey.OVER_LIMIT_POLICY;
import static de.ackservice.config.ConfigKey.PORT;
import static de.ackservice.config.ConfigKey.PROXY_PROTOCOL;
import static de.ackservice.config.ConfigKey.SHUTDOWN_GRACE_MS;
import static de.ackservice.config.ConfigKey.WRITE_QUEUE_MAX_BYTES;
import static de.ackservice.config.ConfigKey.HANDSHAKE_TIMEOUT_MS;
import static de.ackservice.config.ConfigKey.MAX_CONNECTIONS_PER_CLIENT;
import static de.ackservice.config.ConfigKey.MAX_QUEUED_CONNECTIONS;
import static de.ackservice.config.ConfigKey.OVERLOAD_MEMORY_FRACTION;
import static de.ackservice.config.ConfigKey.WRITE_STALL_TIMEOUT_MS;

/**
 * Everything the server needs to know, parsed once and validated: an instance of this record is always usable.
 * The keys, their defaults, rules and meanings are the {@link ConfigKey} table.
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
  boolean proxyProtocol,
  int maxQueuedConnections,
  int writeStallTimeoutMs,
  int handshakeTimeoutMs,
  int maxConnectionsPerClient,
  double overloadMemoryFraction,
  KeepAliveConfig keepAlive,
  int eventLoopSpinMicros) {

  public static ServerConfig from(ConfigValues values) {
    Framing framing = values.choice(FRAMING, Framing.class);
    int instances = values.integer(INSTANCES);
    return new ServerConfig(
      values.text(HOST),
      values.integer(PORT),
      instances == 0 ? automaticInstances() : instances,
      framing,
      ackText(values, framing).text(),
      values.integer(MAX_LINE_BYTES),
      values.integer(MAX_CONNECTIONS),
      values.choice(OVER_LIMIT_POLICY, OverLimitPolicy.class),
      values.integer(IDLE_TIMEOUT_MS),
      values.integer(SHUTDOWN_GRACE_MS),
      values.integer(WRITE_QUEUE_MAX_BYTES),
      ManagementConfig.from(values),
      TlsConfig.from(values),
      values.flag(PROXY_PROTOCOL),
      values.integer(MAX_QUEUED_CONNECTIONS),
      values.integer(WRITE_STALL_TIMEOUT_MS),
      values.integer(HANDSHAKE_TIMEOUT_MS),
      values.integer(MAX_CONNECTIONS_PER_CLIENT),
      values.decimal(OVERLOAD_MEMORY_FRACTION),
      KeepAliveConfig.from(values),
      values.integer(EVENT_LOOP_SPIN_MICROS));
  }

  /** {@code ack} in {@code framing}, by the protocol's rules; shared with the client, so both accept one file. */
  static AckText ackText(ConfigValues values, Framing framing) {
    String text = values.text(ACK);
    AckText.Problem problem = AckText.problem(text, framing);
    if (problem != null) {
      throw values.invalid(ACK, problem == AckText.Problem.LINE_BREAK ? problem.rule() : AckText.Problem.LENGTH_RULE);
    }
    return AckText.of(text, framing);
  }

  /**
   * Half the processors, at least one. Each instance is an event loop doing syscalls; the kernel's TCP work (and,
   * on a shared box, the clients) needs the other cores: measured in README "Performance", one loop beats two on
   * two cores.
   */
  static int automaticInstances() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }

  /** The acknowledgement and its bytes on the wire. */
  public AckText ackText() {
    return AckText.of(ack, framing);
  }

  public boolean limitsConnections() {
    return maxConnections > 0;
  }
}
