package de.ackservice.ops;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

/**
 * Vert.x's own metrics (net server connections, bytes, errors; the JVM's memory, GC and threads) recorded into a
 * Prometheus registry we own and serve ourselves, rather than into the module's global default registry with its
 * embedded server on a Vert.x instance of its own.
 */
public final class VertxMetrics {

  private VertxMetrics() {
  }

  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /** A Vert.x builder that records into {@code registry}. */
  public static VertxBuilder builder(VertxOptions options, PrometheusMeterRegistry registry) {
    options.setMetricsOptions(new MicrometerMetricsOptions()
      .setEnabled(true)
      .setJvmMetricsEnabled(true));
    return Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry));
  }
}
