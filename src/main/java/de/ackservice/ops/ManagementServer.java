package de.ackservice.ops;

import de.ackservice.config.ManagementConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

import java.util.function.BooleanSupplier;

/**
 * The management endpoint: a plain Vert.x HTTP server on its own port, so that probes and scrapers never wait
 * behind acknowledgement traffic and the acknowledgement port can be exposed without them.
 * <ul>
 *   <li>{@code GET /health/live}: 200 as long as the process runs and its event loop answers;</li>
 *   <li>{@code GET /health/ready}: 200 while the service accepts new clients, 503 before it listens and from the
 *       moment shutdown begins (connected clients are still served then);</li>
 *   <li>{@code GET /metrics}: the Prometheus text format, when metrics are on (404 otherwise).</li>
 * </ul>
 */
public final class ManagementServer {

  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final BooleanSupplier ready;
  private HttpServer server;

  /** @param registry the metrics to serve, or null when metrics are off */
  public ManagementServer(Vertx vertx, PrometheusMeterRegistry registry, BooleanSupplier ready) {
    this.vertx = vertx;
    this.registry = registry;
    this.ready = ready;
  }

  /** Listens on the configured address; completes with the actual port. */
  public Future<Integer> start(ManagementConfig config) {
    server = vertx.createHttpServer(new HttpServerOptions()
      .setHost(config.host())
      .setPort(config.port())
      // Probes and scrapers send small requests; nothing here needs more.
      .setMaxInitialLineLength(1024)
      .setMaxHeaderSize(8192));
    return server.requestHandler(this::handle).listen().map(HttpServer::actualPort);
  }

  private void handle(HttpServerRequest request) {
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      // Answered without reading what the request may carry, so the connection cannot be reused: close it.
      request.response().putHeader(HttpHeaders.ALLOW, "GET, HEAD").putHeader(HttpHeaders.CONNECTION, "close");
      text(request, 405, "only GET and HEAD\n");
      return;
    }
    switch (request.path()) {
      case "/health/live" -> text(request, 200, "live\n");
      case "/health/ready" -> {
        if (ready.getAsBoolean()) {
          text(request, 200, "ready\n");
        } else {
          text(request, 503, "not ready: not listening yet, or shutting down\n");
        }
      }
      case "/metrics" -> metrics(request);
      default -> text(request, 404, "not found: /health/live, /health/ready, /metrics\n");
    }
  }

  private void metrics(HttpServerRequest request) {
    if (registry == null) {
      text(request, 404, "metrics are off (metrics = false)\n");
      return;
    }
    if (request.method() == HttpMethod.HEAD) {
      request.response().putHeader(HttpHeaders.CONTENT_TYPE, PROMETHEUS_TEXT).end();
      return;
    }
    // Rendering walks every meter: on a worker, so that the event loop it shares with connections never waits.
    vertx.executeBlocking(registry::scrape, false).onComplete(scraped -> {
      if (scraped.succeeded()) {
        request.response().putHeader(HttpHeaders.CONTENT_TYPE, PROMETHEUS_TEXT).end(scraped.result());
      } else {
        text(request, 500, "cannot render metrics: " + scraped.cause() + "\n");
      }
    });
  }

  private static void text(HttpServerRequest request, int status, String body) {
    request.response()
      .setStatusCode(status)
      .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
      .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    if (request.method() == HttpMethod.HEAD) {
      request.response().end(); // the status is the answer; a body here would corrupt the connection's next reply
    } else {
      request.response().end(body);
    }
  }
}
