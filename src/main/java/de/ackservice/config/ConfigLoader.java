package de.ackservice.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Reads the configuration layers with vertx-config, in this order of precedence (later wins):
 * the {@code -conf} JSON file, environment variables {@code ACK_*}, system properties {@code ack.*}.
 *
 * <p>A key the file does not know, or an {@code ack.*} property that names no key, is an error: a typo must not
 * silently fall back to a default. Unknown {@code ACK_*} environment variables are ignored because Kubernetes
 * injects service-link variables with that prefix.
 */
public final class ConfigLoader {

  public static final List<String> KNOWN_KEYS = knownKeys();

  private ConfigLoader() {
  }

  /**
   * Loads and merges the layers. {@code conf} is what {@code -conf} names: a file path, inline JSON (as the Vert.x
   * launcher also accepts), or null when none was given.
   */
  public static Future<Settings> load(Vertx vertx, String conf) {
    Future<JsonObject> file;
    if (conf == null) {
      file = Future.succeededFuture(new JsonObject());
    } else if (conf.trim().startsWith("{")) {
      file = parseInline(conf);
    } else {
      file = readFile(vertx, conf);
    }
    String source = conf == null || conf.trim().startsWith("{") ? "-conf" : conf;
    return file.compose(fileConfig -> {
      rejectUnknownFileKeys(fileConfig, source);
      ConfigRetriever retriever = ConfigRetriever.create(vertx, layers(fileConfig));
      return retriever.getConfig()
        .eventually(retriever::close)
        .map(merged -> {
          rejectUnknownSystemProperties(merged);
          return new Settings(merged);
        });
    });
  }

  /** For {@code main()}: loads with a short-lived Vert.x instance, before the real one is built from the config. */
  public static Settings loadBlocking(String confPath) {
    Vertx vertx = Vertx.vertx();
    try {
      return load(vertx, confPath).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof ConfigException configException) {
        throw configException;
      }
      throw new ConfigException("Cannot load the configuration: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException("Interrupted while loading the configuration", e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new ConfigException("Timed out loading the configuration from " + confPath, e);
    } finally {
      vertx.close();
    }
  }

  private static Future<JsonObject> parseInline(String json) {
    try {
      return Future.succeededFuture(new JsonObject(json));
    } catch (DecodeException e) {
      return Future.failedFuture(new ConfigException(
        "Invalid configuration: -conf is not a valid JSON object: " + e.getMessage(), e));
    }
  }

  private static Future<JsonObject> readFile(Vertx vertx, String confPath) {
    Path path = Path.of(confPath);
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      return Future.failedFuture(new ConfigException(
        "Invalid configuration: -conf " + confPath + ": the file does not exist or cannot be read"));
    }
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
      .setScanPeriod(0)
      .addStore(new ConfigStoreOptions().setType("file").setFormat("json")
        .setConfig(new JsonObject().put("path", confPath))));
    return retriever.getConfig()
      .eventually(retriever::close)
      .recover(err -> Future.failedFuture(new ConfigException(
        "Invalid configuration: -conf " + confPath + " is not a valid JSON object: " + rootMessage(err), err)));
  }

  private static ConfigRetrieverOptions layers(JsonObject fileConfig) {
    JsonArray envNames = new JsonArray();
    KNOWN_KEYS.forEach(key -> envNames.add(Settings.envName(key)));
    return new ConfigRetrieverOptions()
      .setScanPeriod(0)
      .setIncludeDefaultStores(false)
      .addStore(new ConfigStoreOptions().setType("json").setConfig(fileConfig))
      .addStore(new ConfigStoreOptions().setType("env")
        .setConfig(new JsonObject().put("raw-data", true).put("keys", envNames)))
      .addStore(new ConfigStoreOptions().setType("sys")
        .setConfig(new JsonObject().put("raw-data", true).put("cache", false)));
  }

  private static void rejectUnknownFileKeys(JsonObject fileConfig, String source) {
    Set<String> unknown = new TreeSet<>(fileConfig.fieldNames());
    unknown.removeAll(KNOWN_KEYS);
    if (!unknown.isEmpty()) {
      throw new ConfigException("Invalid configuration: " + source + " has unknown key(s) " + unknown
        + "; known keys are " + KNOWN_KEYS);
    }
  }

  private static void rejectUnknownSystemProperties(JsonObject merged) {
    for (String name : merged.fieldNames()) {
      if (name.startsWith(Settings.SYS_PREFIX)
        && !KNOWN_KEYS.contains(name.substring(Settings.SYS_PREFIX.length()))) {
        throw new ConfigException("Invalid configuration: system property " + name
          + " names no configuration key; known keys are " + KNOWN_KEYS);
      }
    }
  }

  private static String rootMessage(Throwable err) {
    Throwable cause = err;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause instanceof DecodeException || cause.getMessage() != null ? cause.getMessage() : cause.toString();
  }

  private static List<String> knownKeys() {
    List<String> keys = new ArrayList<>(ServerConfig.KEYS);
    keys.addAll(ClientConfig.KEYS);
    return List.copyOf(keys);
  }
}
