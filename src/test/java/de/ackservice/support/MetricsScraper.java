package de.ackservice.support;

import de.ackservice.config.ManagementConfig;
import de.ackservice.ops.ManagementServer;
import de.ackservice.ops.ServiceMetrics;
import de.ackservice.ops.VertxMetrics;
import de.ackservice.server.ServerState;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.concurrent.TimeUnit;

/**
 * A Vert.x built as the application builds it (metrics recorded, the gated transport on NIO), one server deployed on
 * it, and its {@code /metrics} scraped over HTTP as Prometheus would. As a test's {@code @RegisterExtension} field it
 * is closed after each test.
 */
public final class MetricsScraper implements AutoCloseable, AfterEachCallback {

  private final VertxMetrics metrics = new VertxMetrics();
  private final PrometheusMeterRegistry registry = metrics.registry();
  private final GatedServers gated = GatedServers.on(metrics.builder(new VertxOptions()), Transport.NIO);
  public final Vertx vertx = gated.vertx;
  private int managementPort = -1;

  public MetricsScraper() {
    metrics.collect(true);
  }

  /** Starts a server with {@code config} on top of the test defaults, binds its metrics and serves them. */
  public ServerState start(JsonObject config) throws Exception {
    return expose(gated.start(config).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
  }

  /** Binds the service's metrics and serves them on a free loopback port. */
  public ServerState expose(ServerState server) throws Exception {
    ServiceMetrics.bind(registry, server);
    managementPort = new ManagementServer(vertx, registry, server::ready)
      .start(new ManagementConfig("127.0.0.1", 0, true))
      .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return server;
  }

  public PrometheusText scrape() throws Exception {
    Http.Response response = Http.get(managementPort, "/metrics");
    if (response.status() != 200) {
      throw new AssertionError("/metrics answered " + response.status());
    }
    return PrometheusText.parse(response.body());
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    close();
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
