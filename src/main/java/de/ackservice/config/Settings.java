package de.ackservice.config;

import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The merged configuration layers, read key by key with typed, validated getters.
 *
 * <p>Each key {@code someKey} can come from three layers, the later winning: the config file ({@code someKey}),
 * an environment variable ({@code ACK_SOME_KEY}) and a system property ({@code ack.someKey}). Because each layer
 * spells the key differently, the merged object still tells where a value came from, and every error names it.
 */
public final class Settings {

  static final String ENV_PREFIX = "ACK_";
  static final String SYS_PREFIX = "ack.";

  private final JsonObject merged;

  public Settings(JsonObject merged) {
    this.merged = merged;
  }

  /** Settings of the config-file layer only: what tests and embedders use to build a config from JSON. */
  public static Settings ofFile(JsonObject file) {
    return new Settings(file);
  }

  /** {@code maxLineBytes} becomes {@code ACK_MAX_LINE_BYTES}. */
  public static String envName(String key) {
    return ENV_PREFIX + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  public static String sysName(String key) {
    return SYS_PREFIX + key;
  }

  public String string(String key, String defaultValue) {
    Object value = raw(key);
    return value == null ? defaultValue : value.toString();
  }

  public int integer(String key, int defaultValue, int min, int max) {
    Object value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    long parsed;
    if (value instanceof Number number && !(value instanceof Double || value instanceof Float)) {
      parsed = number.longValue();
    } else {
      try {
        parsed = Long.parseLong(value.toString().trim());
      } catch (NumberFormatException e) {
        throw invalid(key, value, "must be a whole number between " + min + " and " + max);
      }
    }
    if (parsed < min || parsed > max) {
      throw invalid(key, value, "must be between " + min + " and " + max);
    }
    return (int) parsed;
  }

  public boolean flag(String key, boolean defaultValue) {
    Object value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Boolean bool) {
      return bool;
    }
    String text = value.toString().trim();
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(text);
    }
    throw invalid(key, value, "must be true or false");
  }

  /**
   * A path to a file that must exist and be readable, or "" when the key is unset or empty. Checked here so that
   * the error names where the path came from; the file's content is checked by whoever reads it.
   */
  public String readableFile(String key) {
    String path = string(key, "").trim();
    if (!path.isEmpty() && !Files.isReadable(Path.of(path))) {
      throw invalid(key, path, "must name a readable file");
    }
    return path;
  }

  public <E extends Enum<E>> E choice(String key, E defaultValue, Class<E> type) {
    Object value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    for (E candidate : type.getEnumConstants()) {
      if (candidate.name().equalsIgnoreCase(value.toString().trim())) {
        return candidate;
      }
    }
    String allowed = Arrays.stream(type.getEnumConstants())
      .map(e -> e.name().toLowerCase(Locale.ROOT))
      .collect(Collectors.joining(", "));
    throw invalid(key, value, "must be one of: " + allowed);
  }

  public ConfigException invalid(String key, Object value, String rule) {
    return new ConfigException("Invalid configuration: " + key + " = '" + value + "' (" + origin(key) + ") " + rule);
  }

  /** The value of the highest layer that sets the key, or null. */
  private Object raw(String key) {
    Object value = merged.getValue(sysName(key));
    if (value == null) {
      value = merged.getValue(envName(key));
    }
    if (value == null) {
      value = merged.getValue(key);
    }
    return value;
  }

  private String origin(String key) {
    if (merged.containsKey(sysName(key))) {
      return "from system property " + sysName(key);
    }
    if (merged.containsKey(envName(key))) {
      return "from environment variable " + envName(key);
    }
    return merged.containsKey(key) ? "from the config file" : "default";
  }
}
