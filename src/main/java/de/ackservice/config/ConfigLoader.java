package de.ackservice.config;

import de.ackservice.Causes;
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
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the configuration once, with one vertx-config {@link ConfigRetriever} whose stores are declared in the
 * order of precedence (later wins): the {@code -conf} JSON file (or inline JSON), environment variables
 * {@code ACK_*}, system properties {@code ack.*}.
 *
 * <p>A key the file does not know, or an {@code ack.*} property that names no key, is an error: a typo must not
 * silently fall back to a default. Unknown {@code ACK_*} environment variables are ignored because Kubernetes
 * injects service-link variables with that prefix (the environment store only asks for the names of known keys).
 */
public final class ConfigLoader {

  private ConfigLoader() {
  }

  /**
   * Loads and merges the layers on {@code vertx} (the application's own instance). {@code conf} is what
   * {@code -conf} names: a file path, inline JSON (as the Vert.x launcher also accepts), or null when none was given.
   * Fails with a {@link ConfigException} naming the file or key.
   */
  public static Future<ConfigValues> load(Vertx vertx, String conf) {
    ConfigStoreOptions first;
    String source;
    try {
      if (conf == null) {
        first = jsonStore(new JsonObject());
        source = "-conf";
      } else if (conf.trim().startsWith("{")) {
        first = jsonStore(parseInline(conf));
        source = "-conf";
      } else {
        first = fileStore(conf);
        source = conf;
      }
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
      .setScanPeriod(0)
      .setIncludeDefaultStores(false)
      .addStore(first)
      .addStore(new ConfigStoreOptions().setType("env")
        .setConfig(new JsonObject().put("raw-data", true).put("keys", envNames())))
      .addStore(new ConfigStoreOptions().setType("sys")
        .setConfig(new JsonObject().put("raw-data", true).put("cache", false))));
    return retriever.getConfig()
      .eventually(retriever::close)
      .recover(err -> Future.failedFuture(new ConfigException(
        "Invalid configuration: -conf " + source + " is not a valid JSON object: " + rootMessage(err), err)))
      .map(merged -> {
        rejectUnknownNames(merged, source);
        return new ConfigValues(merged);
      });
  }

  private static ConfigStoreOptions jsonStore(JsonObject json) {
    return new ConfigStoreOptions().setType("json").setConfig(json);
  }

  private static ConfigStoreOptions fileStore(String confPath) {
    Path path = Path.of(confPath);
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new ConfigException(
        "Invalid configuration: -conf " + confPath + ": the file does not exist or cannot be read");
    }
    return new ConfigStoreOptions().setType("file").setFormat("json")
      .setConfig(new JsonObject().put("path", confPath));
  }

  private static JsonObject parseInline(String json) {
    try {
      return new JsonObject(json);
    } catch (DecodeException e) {
      throw new ConfigException("Invalid configuration: -conf is not a valid JSON object: " + e.getMessage(), e);
    }
  }

  private static JsonArray envNames() {
    JsonArray names = new JsonArray();
    Arrays.stream(ConfigKey.values()).forEach(key -> names.add(key.envName()));
    return names;
  }

  /**
   * Every merged name that neither the environment nor the system properties set came from the file: it must be a
   * key. Every {@code ack.*} system property must name a key.
   */
  private static void rejectUnknownNames(JsonObject merged, String source) {
    Set<String> unknownInFile = new TreeSet<>();
    for (String name : merged.fieldNames()) {
      if (ConfigKey.isOurSystemProperty(name) && System.getProperty(name) != null) {
        if (ConfigKey.ofSystemProperty(name) == null) {
          throw new ConfigException("Invalid configuration: system property " + name
            + " names no configuration key; known keys are " + knownKeys());
        }
      } else if (ConfigKey.named(name) == null && System.getenv(name) == null && System.getProperty(name) == null) {
        unknownInFile.add(name);
      }
    }
    if (!unknownInFile.isEmpty()) {
      throw new ConfigException("Invalid configuration: " + source + " has unknown key(s) " + unknownInFile
        + "; known keys are " + knownKeys());
    }
  }

  private static List<String> knownKeys() {
    return Arrays.stream(ConfigKey.values()).map(ConfigKey::key).toList();
  }

  private static String rootMessage(Throwable err) {
    return Causes.describe(Causes.root(err));
  }
}
