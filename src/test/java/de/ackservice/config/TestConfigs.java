package de.ackservice.config;

import io.vertx.core.json.JsonObject;

/** Configurations for tests, from JSON laid out like {@code conf/config.json}: absent keys take their defaults. */
public final class TestConfigs {

  private TestConfigs() {
  }

  public static ServerConfig server(JsonObject file) {
    return ServerConfig.from(new ConfigValues(file));
  }

  public static ClientConfig client(JsonObject file) {
    return ClientConfig.from(new ConfigValues(file));
  }
}
