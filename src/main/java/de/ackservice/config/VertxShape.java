package de.ackservice.config;

import de.ackservice.transport.SelectedTransport;
import de.ackservice.transport.TransportException;
import de.ackservice.transport.TransportPreference;
import de.ackservice.transport.TransportSelector;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The keys that decide how the process's one Vert.x instance is built ({@link ConfigKey#shapesVertx()}): its
 * transport, and whether it carries metrics at all.
 *
 * <p>Why they are read twice: the configuration chain ({@link ConfigLoader}) runs on that Vert.x instance, yet a
 * Vert.x instance's transport and metrics are fixed when it is built. So these few keys are read first from the same
 * layers (the {@code -conf} JSON, {@code ACK_*} environment variables, {@code ack.*} system properties) by the same
 * rules ({@link ConfigValues}), and after start the full chain reads them again with everything else and must agree
 * ({@link #mustAgreeWith}). A {@code -conf} file that cannot be parsed counts as empty here: the chain reports it,
 * with the rest, and stops start-up.
 *
 */
public final class VertxShape {

  private final TransportPreference transport;
  private final boolean metrics;
  /** Where the values came from, for the error that names the layer. */
  private final ConfigValues values;

  private VertxShape(ConfigValues values) {
    this.transport = values.choice(ConfigKey.TRANSPORT, TransportPreference.class);
    this.metrics = ManagementConfig.from(values).metricsEnabled();
    this.values = values;
  }

  /** From the configuration chain's values (after start, to check agreement; or in tests). */
  public static VertxShape from(ConfigValues values) {
    return new VertxShape(values);
  }

  /** What the {@code transport} key asks for. */
  public TransportPreference transport() {
    return transport;
  }

  /** Whether metrics are collected: {@code metrics} is on and the management endpoint is not off. */
  public boolean metrics() {
    return metrics;
  }

  /**
   * Before Vert.x exists: {@code confFile} is the {@code -conf} JSON as already parsed, or null; the environment and
   * system properties are read here.
   *
   * @throws ConfigException a shaping key has a value its rule refuses
   */
  public static VertxShape beforeVertx(JsonObject confFile) {
    JsonObject layers = confFile == null ? new JsonObject() : confFile.copy();
    Arrays.stream(ConfigKey.values()).filter(ConfigKey::shapesVertx).forEach(key -> {
      String env = System.getenv(key.envName());
      if (env != null) {
        layers.put(key.envName(), env);
      }
      String sys = System.getProperty(key.sysName());
      if (sys != null) {
        layers.put(key.sysName(), sys);
      }
    });
    return from(new ConfigValues(layers));
  }

  /**
   * Before Vert.x exists: {@code conf} is what {@code -conf} names (a file path or inline JSON) or null.
   */
  public static VertxShape beforeVertx(String conf) {
    return beforeVertx(parseLeniently(conf));
  }

  /**
   * The transport to build with; for {@code auto}, also why io_uring was not taken.
   *
   * @throws ConfigException an explicitly requested transport is not available here: names the key, the layer it
   *                         came from and the operating system's reason
   */
  public SelectedTransport selectTransport() {
    try {
      return TransportSelector.ofThisPlatform().select(ConfigKey.TRANSPORT.key(), transport);
    } catch (TransportException e) {
      throw values.invalid(ConfigKey.TRANSPORT, "cannot be honoured: " + e.getMessage());
    }
  }

  /** After start: the full chain must have read what the Vert.x instance was built with. */
  public void mustAgreeWith(VertxShape chain) {
    if (transport != chain.transport || metrics != chain.metrics) {
      throw new ConfigException("Invalid configuration: the keys read before Vert.x started (" + this
        + ") differ from the configuration read after (" + chain + "); check " + ConfigKey.TRANSPORT.key() + ", "
        + ConfigKey.METRICS.key() + " and " + ConfigKey.MANAGEMENT_PORT.key() + " in every layer");
    }
  }

  @Override
  public String toString() {
    return ConfigKey.TRANSPORT.key() + "=" + transport.configValue() + ", metrics " + (metrics ? "on" : "off");
  }

  private static JsonObject parseLeniently(String conf) {
    if (conf == null) {
      return null;
    }
    try {
      String json = conf.trim().startsWith("{") ? conf : Files.readString(Path.of(conf));
      return new JsonObject(json);
    } catch (IOException | RuntimeException unreadable) {
      // The configuration chain reads the same -conf and stops start-up with the reason.
      return null;
    }
  }
}
