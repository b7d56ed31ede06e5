package de.ackservice.config;

/**
 * The HTTP management endpoint: health ({@code /health/live}, {@code /health/ready}) and Prometheus metrics
 * ({@code /metrics}) on a port of its own, so that probes and scrapers never queue behind acknowledgement traffic
 * and the acknowledgement port can be exposed without them.
 *
 * @param port the port; 0 = any free port (logged at start-up), -1 = no management endpoint
 * @param metrics whether metrics are collected; they only are when there is an endpoint to read them
 */
public record ManagementConfig(String host, int port, boolean metrics) {

  /** The value of {@code managementPort} that turns the endpoint off. */
  public static final int OFF = -1;

  static ManagementConfig from(ConfigValues values) {
    return new ManagementConfig(values.text(ConfigKey.MANAGEMENT_HOST), values.integer(ConfigKey.MANAGEMENT_PORT),
      values.flag(ConfigKey.METRICS));
  }

  public boolean enabled() {
    return port != OFF;
  }

  public boolean metricsEnabled() {
    return metrics && enabled();
  }
}
