package de.ackservice.config;

/**
 * TCP keepalive on accepted connections, so that a peer that vanished without a FIN (power loss, a NAT that forgot
 * the flow) is found by the kernel: after {@code idleSeconds} without traffic it probes every
 * {@code intervalSeconds}, and after {@code count} unanswered probes the connection fails and is closed.
 * Limits are Linux's: TCP_KEEPIDLE / TCP_KEEPINTVL up to 32767 s, TCP_KEEPCNT up to 127.
 */
public record KeepAliveConfig(boolean enabled, int idleSeconds, int intervalSeconds, int count) {

  static KeepAliveConfig from(ConfigValues values) {
    return new KeepAliveConfig(
      values.flag(ConfigKey.TCP_KEEP_ALIVE),
      values.integer(ConfigKey.TCP_KEEP_ALIVE_IDLE_SECONDS),
      values.integer(ConfigKey.TCP_KEEP_ALIVE_INTERVAL_SECONDS),
      values.integer(ConfigKey.TCP_KEEP_ALIVE_COUNT));
  }
}
