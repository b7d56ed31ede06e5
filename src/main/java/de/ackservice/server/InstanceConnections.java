package de.ackservice.server;

/**
 * The open connections of one verticle instance (on its event loop only), so that the instance's stop can wait for
 * the bounded closes of the end of the grace period: Vert.x's own close then waits for unread bytes, and considers
 * the server shut down while such a connection is still open.
 */
final class InstanceConnections {

  private int open;

  void opened() {
    open++;
  }

  void closed() {
    open--;
  }

  boolean none() {
    return open == 0;
  }
}
