package de.ackservice.config;

/**
 * A configuration value that cannot be used. The message names the key, the bad value and where it came from, so
 * that the operator can fix it without reading code; start-up stops before anything binds.
 */
public final class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
