package de.ackservice.support;

import de.ackservice.overload.GatedTransport;
import de.ackservice.server.ServerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;

/**
 * Servers on a Vert.x built as the application builds it: with the {@link GatedTransport} (keepalive timing, the PROXY
 * header gate, the TLS handshake watch), whose gate is the server's. One server per such Vert.x: the gate comes from
 * its configuration.
 */
public final class GatedServers {

  private final GatedTransport transport;
  public final Vertx vertx;

  private GatedServers(VertxBuilder builder, Transport base) {
    transport = new GatedTransport(base);
    vertx = builder.withTransport(transport).build();
  }

  /** A plain Vert.x on {@code base} (e.g. {@code Transport.NIO}, or epoll as the jar runs). */
  public static GatedServers on(Transport base) {
    return new GatedServers(Vertx.builder(), base);
  }

  /** On a builder of the test's choice (e.g. one that records metrics). */
  public static GatedServers on(VertxBuilder builder, Transport base) {
    return new GatedServers(builder, base);
  }

  /** As {@link TestServers#start(Vertx, JsonObject)}, with this Vert.x's gate taken from the server. */
  public Future<ServerState> start(JsonObject overrides) {
    return TestServers.start(vertx, overrides, server -> transport.use(server.overload().acceptGate()));
  }

  public Future<Void> close() {
    return vertx.close();
  }
}
