package de.ackservice.server;

/** The server could not bind its address: the message says which address and why, without a stack to read. */
public final class ListenException extends RuntimeException {

  public ListenException(String host, int port, Throwable cause) {
    super("Cannot listen on " + host + ":" + port + ": " + cause.getMessage()
      + (String.valueOf(cause.getMessage()).contains("in use")
        ? " (another process holds the port: stop it or set 'port' to another value)" : ""), cause);
  }
}
