package de.ackservice.config;

import io.vertx.core.json.JsonObject;

/**
 * The merged configuration layers, read through the {@link ConfigKey} table: each key's value is taken from the
 * highest layer that sets it, parsed by the key's rule, or the key's default.
 *
 * <p>Each layer spells a key its own way (file {@code someKey}, environment {@code ACK_SOME_KEY}, system property
 * {@code ack.someKey}), so the merged object still tells where a value came from, and every error names it.
 */
public final class ConfigValues {

  /** Prefix of the names under which a program's command-line options set keys (above every layer). */
  private static final String COMMAND_LINE = "--";

  private final JsonObject merged;

  /** {@code merged}: what the loader's layers produced (or, in tests, a config file's JSON). */
  public ConfigValues(JsonObject merged) {
    this.merged = merged.copy();
  }

  /** The same values with {@code key} set by a command-line option, which beats every layer. */
  public ConfigValues withCommandLine(ConfigKey key, Object value) {
    return new ConfigValues(merged.copy().put(COMMAND_LINE + key.key(), value));
  }

  public int integer(ConfigKey key) {
    return (Integer) value(key);
  }

  public double decimal(ConfigKey key) {
    return (Double) value(key);
  }

  public boolean flag(ConfigKey key) {
    return (Boolean) value(key);
  }

  public String text(ConfigKey key) {
    return (String) value(key);
  }

  public <E extends Enum<E>> E choice(ConfigKey key, Class<E> type) {
    return type.cast(value(key));
  }

  /** The error for a value that breaks {@code rule}: key, value and the layer it came from. */
  public ConfigException invalid(ConfigKey key, Object value, String rule) {
    return new ConfigException("Invalid configuration: " + key.key() + " = '" + value + "' (" + origin(key) + ") "
      + rule);
  }

  /** The same error, for the value the key has now. */
  public ConfigException invalid(ConfigKey key, String rule) {
    Object raw = raw(key);
    return invalid(key, raw == null ? key.defaultValue() : raw, rule);
  }

  private Object value(ConfigKey key) {
    Object raw = raw(key);
    try {
      return key.rule().parse(raw == null ? key.defaultValue() : raw);
    } catch (IllegalArgumentException brokenRule) {
      throw invalid(key, raw, brokenRule.getMessage());
    }
  }

  /** The value of the highest layer that sets the key, or null. */
  private Object raw(ConfigKey key) {
    Object value = merged.getValue(COMMAND_LINE + key.key());
    if (value == null) {
      value = merged.getValue(key.sysName());
    }
    if (value == null) {
      value = merged.getValue(key.envName());
    }
    if (value == null) {
      value = merged.getValue(key.key());
    }
    return value;
  }

  private String origin(ConfigKey key) {
    if (merged.containsKey(COMMAND_LINE + key.key())) {
      return "from the command line";
    }
    if (merged.containsKey(key.sysName())) {
      return "from system property " + key.sysName();
    }
    if (merged.containsKey(key.envName())) {
      return "from environment variable " + key.envName();
    }
    return merged.containsKey(key.key()) ? "from the config file" : "default";
  }
}
