package de.ackservice.transport;

/**
 * The {@code transport} setting cannot be honoured: the value is unknown, or the transport it insists on is not
 * available here. Like any bad configuration value it names its key; the application stops before binding and exits
 * with status 78 (EX_CONFIG).
 */
public final class TransportException extends RuntimeException {

  private final String key;

  public TransportException(String key, String message) {
    super(message);
    this.key = key;
  }

  /** The configuration key whose value could not be honoured. */
  public String key() {
    return key;
  }
}
