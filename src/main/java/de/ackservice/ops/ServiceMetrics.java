package de.ackservice.ops;

import de.ackservice.config.ServerConfig;
import de.ackservice.overload.OverloadMetrics;
import de.ackservice.server.ServerState;
import de.ackservice.server.ConnectionLimiter;
import de.ackservice.server.ServerCounters;
import de.ackservice.tls.TlsReloader;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The service's own metrics. None of them is touched per message: the counters are functions that read the
 * {@link ServerCounters} adders the connections update anyway, and the gauges read the limiter and the
 * configuration, all at scrape time. Names as Prometheus shows them are in README.md ("Operations").
 */
public final class ServiceMetrics {

  private ServiceMetrics() {
  }

  public static void bind(MeterRegistry registry, ServerState server) {
    ServerCounters counters = server.counters();
    ServerConfig config = server.config();
    String framing = config.framing().name().toLowerCase(Locale.ROOT);

    counter(registry, "ack.messages.received", "Messages received (raw: TCP reads; line: lines)", counters,
      ServerCounters::messages, "framing", framing);
    counter(registry, "ack.acks.sent", "Acknowledgements written, one per message received", counters,
      ServerCounters::messages);
    counter(registry, "ack.received.bytes", "Payload bytes received", counters, ServerCounters::bytesReceived);
    counter(registry, "ack.connections.opened", "Connections accepted (served, queued or rejected)", counters,
      ServerCounters::connectionsOpened);
    counter(registry, "ack.connections.closed", "Connections closed, for any reason", counters,
      ServerCounters::connectionsClosed);
    counter(registry, "ack.connections.queued", "Connections that had to wait for a slot (overLimitPolicy queue)",
      counters, ServerCounters::queued);
    counter(registry, "ack.connections.rejected", "Connections closed at once over maxConnections "
      + "(overLimitPolicy reject)", counters, ServerCounters::rejected);
    counter(registry, "ack.connections.idle.closed", "Connections closed after idleTimeoutMs without data",
      counters, ServerCounters::idleClosed);
    counter(registry, "ack.lines.too.long", "Lines over maxLineBytes (each ends its connection)", counters,
      ServerCounters::linesTooLong);
    counter(registry, "ack.backpressure.pauses", "Times a connection stopped being read because its client did not "
      + "read its acknowledgements", counters, ServerCounters::backpressurePauses);
    counter(registry, "ack.connections.slow.reader.closed", "Connections closed because their acknowledgements "
      + "waited writeStallTimeoutMs unread (reason slow reader)", counters, ServerCounters::slowReaders);
    counter(registry, "ack.connections.queue.full.rejected", "Connections closed at once because "
      + "maxQueuedConnections were already waiting", counters, ServerCounters::queueFullRejected);
    counter(registry, "ack.connections.closes.aborted", "Server-decided closes ended with a reset because the client "
      + "did not take the rest in time", counters, ServerCounters::closesAborted);
    OverloadMetrics.bind(registry, server.overload());

    ConnectionLimiter limiter = server.limiter();
    gauge(registry, "ack.connections.open", "Connections open now, served or waiting", counters,
      ServerCounters::openConnections);
    gauge(registry, "ack.connections.served", "Connections being served now", limiter, ConnectionLimiter::active);
    gauge(registry, "ack.connections.waiting", "Connections waiting for a slot now", limiter,
      ConnectionLimiter::queued);
    gauge(registry, "ack.ready", "1 while the service accepts new clients, 0 before it listens and once shutdown "
      + "begins", server, s -> s.ready() ? 1 : 0);

    gauge(registry, "ack.config.max.connections", "maxConnections (0 = unlimited)", config,
      ServerConfig::maxConnections);
    gauge(registry, "ack.config.max.line.bytes", "maxLineBytes", config, ServerConfig::maxLineBytes);
    gauge(registry, "ack.config.write.queue.max.bytes", "writeQueueMaxBytes", config,
      ServerConfig::writeQueueMaxBytes);
    gauge(registry, "ack.config.idle.timeout.seconds", "idleTimeoutMs in seconds (0 = off)", config,
      c -> c.idleTimeoutMs() / 1000.0);
    gauge(registry, "ack.config.shutdown.grace.seconds", "shutdownGraceMs in seconds", config,
      c -> c.shutdownGraceMs() / 1000.0);
    gauge(registry, "ack.config.instances", "Server verticle instances", config, ServerConfig::instances);

    server.tls().ifPresent(tls -> bindTls(registry, tls));
  }

  /** {@code ack_transport_info{transport="io_uring"} 1}: the socket transport the process runs on. */
  public static void bindTransport(MeterRegistry registry, String transport) {
    Gauge.builder("ack.transport.info", () -> 1).description("The socket transport in use (label transport: io_uring, "
      + "epoll or nio); always 1").tags("transport", transport).strongReference(true).register(registry);
  }

  private static void bindTls(MeterRegistry registry, TlsReloader tls) {
    gauge(registry, "ack.tls.certificate.expiry.seconds", "When the certificate in use expires (Unix time)", tls,
      t -> TimeUnit.MILLISECONDS.toSeconds(t.certificateNotAfter().toEpochMilli()));
    counter(registry, "ack.tls.reloads", "Changed certificate files taken into use", tls,
      TlsReloader::reloadsApplied, "result", "applied");
    counter(registry, "ack.tls.reloads", "Changed certificate files refused (unreadable, or key and certificate do "
      + "not match)", tls, TlsReloader::reloadsRefused, "result", "refused");
  }

  private static <T> void counter(MeterRegistry registry, String name, String help, T source,
                                  ToDoubleFunction<T> value, String... tags) {
    FunctionCounter.builder(name, source, value).description(help).tags(tags).register(registry);
  }

  private static <T> void gauge(MeterRegistry registry, String name, String help, T source,
                                ToDoubleFunction<T> value) {
    Gauge.builder(name, source, value).description(help).strongReference(true).register(registry);
  }
}
