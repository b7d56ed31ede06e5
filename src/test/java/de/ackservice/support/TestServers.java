package de.ackservice.support;

import de.ackservice.config.TestConfigs;
import de.ackservice.config.ServerConfig;
import de.ackservice.server.AckServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Deploys an in-process server on a free loopback port with the given config keys on top of the defaults. */
public final class TestServers {

  private TestServers() {
  }

  public static Future<AckServer> start(Vertx vertx, JsonObject overrides) {
    JsonObject config = new JsonObject().put("host", "127.0.0.1").put("port", 0).mergeIn(overrides);
    AckServer server = new AckServer(TestConfigs.server(config));
    return server.deploy(vertx).map(id -> server);
  }

  public static Future<AckServer> start(Vertx vertx) {
    return start(vertx, new JsonObject());
  }
}
