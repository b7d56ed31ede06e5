package de.ackservice.server;

import de.ackservice.config.ServerConfig;
import de.ackservice.overload.Overload;
import de.ackservice.tls.TlsReloader;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;

import java.util.Optional;

/**
 * What all {@link ServerVerticle} instances of one process share: one configuration, one connection limit, one set
 * of counters and (with TLS) one certificate. {@code AckApplication} deploys the verticles with
 * {@code deployVerticle(state::newVerticle, new DeploymentOptions().setInstances(n))}.
 */
public final class ServerState {

  private final ServerConfig config;
  private final ServerCounters counters = new ServerCounters();
  private final ConnectionLimiter limiter;
  private final TlsReloader tls;
  private final Overload overload;
  private volatile int port = -1;
  private volatile boolean shuttingDown;

  /**
   * With TLS configured, reads and checks the certificate files now (blocking), so that unusable files stop start-up
   * with a {@link de.ackservice.config.ConfigException} before anything binds.
   */
  public ServerState(ServerConfig config) {
    this.config = config;
    this.limiter = new ConnectionLimiter(config.maxConnections(), config.maxQueuedConnections());
    this.tls = config.tls().enabled() ? new TlsReloader(config.tls()) : null;
    this.overload = new Overload(config);
    overload.start();
  }

  public ServerVerticle newVerticle() {
    return new ServerVerticle(this);
  }

  public ServerConfig config() {
    return config;
  }

  public ServerCounters counters() {
    return counters;
  }

  /** Per-client limit, memory pressure, accept failures, handshake failures: see {@link Overload}. */
  public Overload overload() {
    return overload;
  }

  public ConnectionLimiter limiter() {
    return limiter;
  }

  /** The port the instances listen on (the chosen one when the config says 0), or -1 before they listen. */
  public int port() {
    return port;
  }

  /** The certificate and its reloading, when TLS is on. */
  public Optional<TlsReloader> tls() {
    return Optional.ofNullable(tls);
  }

  /**
   * Ready for new clients: listening, not shutting down, and not refusing connections for memory pressure. Readiness
   * probes read this; it turns false as soon as shutdown begins, while connected clients are still being served, so
   * that no new ones are sent here.
   */
  public boolean ready() {
    return port > 0 && !shuttingDown && overload.ready();
  }

  /** Called when the drain starts (SIGTERM, or the verticles being undeployed); from any thread. */
  public void shutdownBegins() {
    shuttingDown = true;
  }

  void listeningOn(int actualPort, NetServer server, Vertx vertx) {
    port = actualPort;
    if (tls != null) {
      tls.register(vertx, server);
    }
  }

  void stopsListening(NetServer server) {
    shutdownBegins();
    overload.stop();
    if (tls != null) {
      tls.unregister(server);
    }
  }
}
