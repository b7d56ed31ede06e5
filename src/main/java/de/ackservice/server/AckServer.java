package de.ackservice.server;

import de.ackservice.config.ServerConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The service as a whole: one configuration, one connection limit and one set of counters shared by all
 * {@link ServerVerticle} instances. The launcher deploys its verticles through {@link #newVerticle()};
 * tests and embedders call {@link #deploy(Vertx)}.
 */
public final class AckServer {

  private final ServerConfig config;
  private final ServerCounters counters = new ServerCounters();
  private final ConnectionLimiter limiter;
  private volatile int port = -1;

  public AckServer(ServerConfig config) {
    this.config = config;
    this.limiter = new ConnectionLimiter(config.maxConnections());
  }

  /** Deploys {@code config.instances()} verticles; completes once all of them listen. */
  public Future<String> deploy(Vertx vertx) {
    return vertx.deployVerticle(this::newVerticle, deploymentOptions());
  }

  public DeploymentOptions deploymentOptions() {
    return new DeploymentOptions().setInstances(config.instances());
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

  public ConnectionLimiter limiter() {
    return limiter;
  }

  /** The port the instances listen on (the chosen one when the config says 0), or -1 before they listen. */
  public int port() {
    return port;
  }

  void listeningOn(int actualPort) {
    port = actualPort;
  }
}
