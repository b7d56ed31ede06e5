package de.ackservice.config;

import java.util.List;

/**
 * The HTTP management endpoint: health ({@code /health/live}, {@code /health/ready}) and Prometheus metrics
 * ({@code /metrics}) on a port of its own, so that probes and scrapers never queue behind acknowledgement traffic
 * and the acknowledgement port can be exposed without them.
 *
 * @param port the port; 0 = any free port (logged at start-up), -1 = no management endpoint
 * @param metrics whether metrics are collected; they only are when there is an endpoint to read them
 */
public record ManagementConfig(String host, int port, boolean metrics) {

  public static final String HOST = "managementHost";
  public static final String PORT = "managementPort";
  public static final String METRICS = "metrics";

  public static final List<String> KEYS = List.of(HOST, PORT, METRICS);

  /** The value of {@code managementPort} that turns the endpoint off. */
  public static final int OFF = -1;

  static ManagementConfig from(Settings settings) {
    String host = settings.string(HOST, "0.0.0.0").trim();
    if (host.isEmpty()) {
      throw settings.invalid(HOST, settings.string(HOST, ""), "must name an address to listen on, e.g. 0.0.0.0");
    }
    return new ManagementConfig(host, settings.integer(PORT, 9090, OFF, 65535), settings.flag(METRICS, true));
  }

  public boolean enabled() {
    return port != OFF;
  }

  public boolean metricsEnabled() {
    return metrics && enabled();
  }
}
