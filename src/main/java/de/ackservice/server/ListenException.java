package de.ackservice.server;

/** The server could not bind its address: the message says which address and why, without a stack to read. */
public final class ListenException extends RuntimeException {

  private static final String IN_USE = "Address already in use";

  public ListenException(String host, int port, Throwable cause) {
    this("port", host, port, cause);
  }

  /** @param portKey the configuration key that sets this port, named in the advice */
  public ListenException(String portKey, String host, int port, Throwable cause) {
    super("Cannot listen on " + host + ":" + port + ": " + reason(cause, portKey), cause);
  }

  /** NIO and native epoll word the common case differently; say it one way, with what to do about it. */
  private static String reason(Throwable cause, String portKey) {
    String message = String.valueOf(cause.getMessage());
    return message.contains(IN_USE)
      ? IN_USE + " (another process holds the port: stop it or set '" + portKey + "' to another value)"
      : message;
  }
}
