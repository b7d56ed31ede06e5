package de.ackservice.ops;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmCompilationMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.util.List;

/**
 * Vert.x's own metrics (net server connections, bytes, errors; the JVM's memory, GC and threads) recorded into a
 * Prometheus registry we own and serve ourselves, rather than into the module's global default registry with its
 * embedded server on a Vert.x instance of its own.
 *
 * <p>Vert.x takes its metrics implementation when it is built, but whether metrics are on is configuration, which
 * is read on that same Vert.x instance once it runs. So the instance is built with a switch in front of
 * Micrometer: until {@link #collect(boolean)} turns it on, servers and clients get no metrics object and pay nothing
 * per byte (Vert.x skips metrics it was given none for); servers are only created after the configuration is read.
 * The event bus and the worker pools, created with the instance and off the acknowledgement path, always record.
 */
public final class VertxMetrics {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private volatile boolean collecting;

  /** A Vert.x builder whose servers and clients record into {@link #registry()} once {@link #collect} says so. */
  public VertxBuilder builder(VertxOptions options) {
    // The JVM's own meters are bound by bindJvmMetrics() once the service listens, not here: they cost a noticeable
    // part of start-up (java.lang.management, some 200 classes) and nothing waits for them.
    options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(false));
    MicrometerMetricsFactory micrometer = new MicrometerMetricsFactory(registry);
    return Vertx.builder().with(options).withMetrics(vertxOptions -> new Switched(micrometer.metrics(vertxOptions)));
  }

  /** Whether servers and clients created from now on record metrics; decided once, before any is created. */
  public void collect(boolean on) {
    collecting = on;
  }

  /**
   * The JVM's meters (memory, GC, threads, classes, JIT, CPU, uptime): the same binders vertx-micrometer-metrics binds
   * with {@code setJvmMetricsEnabled(true)}, bound later so that they do not delay readiness. Blocking (reads the
   * JVM's management beans): call it off the event loop.
   */
  public void bindJvmMetrics() {
    List<MeterBinder> binders = List.of(new ClassLoaderMetrics(), new JvmCompilationMetrics(), new JvmGcMetrics(),
      new JvmHeapPressureMetrics(), new JvmInfoMetrics(), new JvmMemoryMetrics(), new JvmThreadMetrics(),
      new ProcessorMetrics(), new UptimeMetrics());
    binders.forEach(binder -> binder.bindTo(registry));
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Micrometer's metrics for the servers and clients created while collecting; none for the others. */
  private final class Switched implements io.vertx.core.spi.metrics.VertxMetrics {

    private final io.vertx.core.spi.metrics.VertxMetrics micrometer;

    Switched(io.vertx.core.spi.metrics.VertxMetrics micrometer) {
      this.micrometer = micrometer;
    }

    @Override
    public EventBusMetrics createEventBusMetrics() {
      return micrometer.createEventBusMetrics();
    }

    @Override
    public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options, SocketAddress localAddress) {
      return collecting ? micrometer.createHttpServerMetrics(options, localAddress) : null;
    }

    @Override
    public ClientMetrics<?, ?, ?> createClientMetrics(SocketAddress remoteAddress, String type, String namespace) {
      return collecting ? micrometer.createClientMetrics(remoteAddress, type, namespace) : null;
    }

    @Override
    public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
      return collecting ? micrometer.createHttpClientMetrics(options) : null;
    }

    @Override
    public TCPMetrics<?> createNetServerMetrics(NetServerOptions options, SocketAddress localAddress) {
      return collecting ? micrometer.createNetServerMetrics(options, localAddress) : null;
    }

    @Override
    public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
      return collecting ? micrometer.createNetClientMetrics(options) : null;
    }

    @Override
    public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
      return collecting ? micrometer.createDatagramSocketMetrics(options) : null;
    }

    @Override
    public PoolMetrics<?, ?> createPoolMetrics(String poolType, String poolName, int maxPoolSize) {
      return micrometer.createPoolMetrics(poolType, poolName, maxPoolSize);
    }

    @Override
    public void vertxCreated(Vertx vertx) {
      micrometer.vertxCreated(vertx);
    }

    @Override
    public void close() {
      micrometer.close();
    }
  }
}
