package de.ackservice.client;

import de.ackservice.config.TestConfigs;
import de.ackservice.config.ClientConfig;
import de.ackservice.config.Framing;
import de.ackservice.server.ServerState;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.Locale;

/** Servers for client tests, all on 127.0.0.1 and a free port. */
final class ClientTestServers {

  private ClientTestServers() {
  }

  /** Our server, one instance, with {@code extra} settings on top of the framing. */
  static Future<ServerState> ackServer(Vertx vertx, Framing framing, JsonObject extra) {
    return de.ackservice.support.TestServers.start(vertx,
      new JsonObject().put("instances", 1).put("framing", name(framing)).mergeIn(extra));
  }

  /** A server that behaves as each test needs. */
  static Future<NetServer> listen(Vertx vertx, Handler<NetSocket> connection) {
    return vertx.createNetServer().connectHandler(connection).listen(0, "127.0.0.1");
  }

  /** Client settings for a server on 127.0.0.1:{@code port}, with {@code extra} on top. */
  static ClientConfig client(int port, Framing framing, JsonObject extra) {
    return TestConfigs.client(new JsonObject().put("port", port).put("framing", name(framing)).mergeIn(extra));
  }

  static ClientConfig client(int port, Framing framing) {
    return client(port, framing, new JsonObject());
  }

  static String name(Framing framing) {
    return framing.name().toLowerCase(Locale.ROOT);
  }
}
