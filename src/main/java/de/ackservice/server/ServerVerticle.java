package de.ackservice.server;

import de.ackservice.config.ServerConfig;
import de.ackservice.netty.VertxNetty;
import de.ackservice.overload.Overload;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.ServerSSLOptions;

import java.util.concurrent.TimeUnit;

/**
 * Wiring only: one NetServer on the configured address whose connection handler hands each socket to an
 * {@link AckConnection}. Several instances share the port, one event loop each; what they must agree on
 * (limit, counters, acknowledgement bytes) comes from the {@link ServerState} that created them.
 */
public final class ServerVerticle extends VerticleBase {

  private final ServerState service;
  private NetServer server;
  private IdleSweeper idleSweeper;
  private Acknowledgements acknowledgements;
  private final InstanceConnections connections = new InstanceConnections();

  ServerVerticle(ServerState service) {
    this.service = service;
  }

  @Override
  public Future<?> start() {
    ServerConfig config = service.config();
    idleSweeper = new IdleSweeper(vertx, config.idleTimeoutMs());
    acknowledgements = new Acknowledgements(config.ack(), config.framing());
    ConnectionResources resources = new ConnectionResources(
      config, acknowledgements, service.counters(), service.limiter(), idleSweeper,
      new byte[ConnectionResources.SCRATCH_BYTES], service.overload(), VertxNetty::abort,
      connections, new EventLoopSpin(config.eventLoopSpinMicros()));
    server = vertx.createNetServer(serverOptions(config));
    server.connectHandler(socket -> new AckConnection(socket, resources).open());
    server.exceptionHandler(
      new SetupFailures(service.overload().handshakes(), service.overload().acceptGate())::onFailure);
    return server.listen()
      .recover(cause -> Future.failedFuture(new ListenException(config.host(), config.port(), cause)))
      .onSuccess(listening -> {
        service.listeningOn(listening.actualPort(), listening, vertx);
        idleSweeper.start();
      });
  }

  /** Stops accepting, keeps serving connected clients for the grace period, then closes what is left. */
  @Override
  public Future<?> stop() {
    service.stopsListening(server);
    return server.shutdown(service.config().shutdownGraceMs(), TimeUnit.MILLISECONDS)
      // Vert.x's close at the end of the grace waits for bytes a client may never read; each such connection resets
      // itself a bounded time later (AckConnection): wait for that, so no connection outlives the server.
      .compose(shutDown -> allClosed(AckConnection.CLOSE_FLUSH_WAIT_MS + 1000))
      .eventually(() -> {
        idleSweeper.stop();
        acknowledgements.release();
        return Future.succeededFuture();
      });
  }

  /** Completes once this instance has no open connection, or after {@code atMostMs}. */
  private Future<Void> allClosed(long atMostMs) {
    Promise<Void> closed = Promise.promise();
    long checkEveryMs = 20;
    long[] checks = {atMostMs / checkEveryMs};
    if (connections.none()) {
      return Future.succeededFuture();
    }
    vertx.setPeriodic(checkEveryMs, id -> {
      if (connections.none() || --checks[0] <= 0) {
        vertx.cancelTimer(id);
        closed.complete();
      }
    });
    return closed.future();
  }

  private NetServerOptions serverOptions(ServerConfig config) {
    NetServerOptions options = new NetServerOptions()
      .setHost(config.host())
      // Port 0 asks for any free port; -1 is Vert.x's spelling of that which all instances then share.
      .setPort(config.port() == 0 ? -1 : config.port())
      .setTcpNoDelay(true)
      // Behind a TCP load balancer: the client's own address comes first, in a PROXY protocol header.
      .setUseProxyProtocol(config.proxyProtocol());
    Overload.configure(options, config);
    service.tls().ifPresent(tls -> {
      ServerSSLOptions ssl = tls.current().sslOptions();
      options.setSsl(true)
        .setKeyCertOptions(ssl.getKeyCertOptions())
        .setTrustOptions(ssl.getTrustOptions())
        .setClientAuth(ssl.getClientAuth());
    });
    return options;
  }
}
