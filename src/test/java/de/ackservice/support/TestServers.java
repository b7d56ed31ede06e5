package de.ackservice.support;

import de.ackservice.config.TestConfigs;
import de.ackservice.config.ServerConfig;
import de.ackservice.server.ServerState;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.function.Consumer;

/** Deploys an in-process server on a free loopback port with the given config keys on top of the defaults. */
public final class TestServers {

  private TestServers() {
  }

  public static Future<ServerState> start(Vertx vertx, JsonObject overrides) {
    return start(vertx, overrides, server -> { });
  }

  /** The same, with {@code beforeDeploy} run on the server state before its verticles deploy (and listen). */
  public static Future<ServerState> start(Vertx vertx, JsonObject overrides, Consumer<ServerState> beforeDeploy) {
    JsonObject config = new JsonObject().put("host", "127.0.0.1").put("port", 0).mergeIn(overrides);
    ServerState server = new ServerState(TestConfigs.server(config));
    beforeDeploy.accept(server);
    return deploy(vertx, server).map(id -> server);
  }

  public static Future<ServerState> start(Vertx vertx) {
    return start(vertx, new JsonObject());
  }

  /** Deploys the server's verticles the way the application does: one per configured instance, from a supplier. */
  public static Future<String> deploy(Vertx vertx, ServerState server) {
    return vertx.deployVerticle(server::newVerticle, new DeploymentOptions().setInstances(server.config().instances()));
  }
}
