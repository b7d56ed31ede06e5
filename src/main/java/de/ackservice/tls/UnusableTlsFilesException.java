package de.ackservice.tls;

/**
 * TLS files that cannot be used: unreadable, not PEM, or a key that does not belong to its certificate. The message
 * names the setting and the path. At start-up this is a configuration error; during a reload the server keeps the
 * certificate it has and logs it.
 */
public final class UnusableTlsFilesException extends RuntimeException {

  public UnusableTlsFilesException(String message, Throwable cause) {
    super(message, cause);
  }
}
