package de.ackservice.client;

/** The client's exit statuses: scripts can tell what went wrong without parsing the message on stderr. */
public enum ClientExit {
  /** Every line sent was acknowledged; the input ended or the user typed {@code exit}. */
  OK(0),
  /** The server could not be reached within {@code connectTimeoutMs}. */
  CANNOT_CONNECT(1),
  /** A line got no reply within {@code replyTimeoutMs}. */
  NO_REPLY(2),
  /** The server closed or reset the connection while lines were still to be sent or acknowledged. */
  CONNECTION_LOST(3),
  /** The server answered with an error ({@code ERROR …}) or with something that is not a reply. */
  SERVER_ERROR(4),
  /** A line of the input cannot be sent (too long) or the input cannot be read. */
  BAD_INPUT(5),
  /** Unknown command-line arguments. */
  USAGE(64),
  /** An unusable configuration value (as for the server). */
  BAD_CONFIG(78);

  private final int code;

  ClientExit(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
