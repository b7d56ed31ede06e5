package de.ackservice.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.ArrayList;
import java.util.List;

/**
 * A load balancer in miniature, on 127.0.0.1: forwards each connection to the current backend port, and can cut
 * every connection through it once the backend has sent a given number of bytes, sending new connections to
 * another backend from then on (a rolling update). The chunk that crosses the mark is dropped, not forwarded: the
 * replies in it are lost with the connection, as replies in flight are when a real connection breaks.
 *
 * <p>Its connections may run on different event loops, so its state is guarded by its monitor.
 */
final class CuttingForwarder {

  /** {@link #cutAfter}'s next port that means: no next backend, the forwarder stops listening. */
  static final int STOP = -1;

  private final Vertx vertx;
  private final NetClient client;
  private NetServer server;
  private int backendPort;
  private long cutAtBytes = Long.MAX_VALUE;
  private int nextBackendPort;
  private long forwardedBytes;
  private int cuts;
  private int connections;
  private final List<NetSocket> open = new ArrayList<>();

  private CuttingForwarder(Vertx vertx, int backendPort) {
    this.vertx = vertx;
    this.client = vertx.createNetClient();
    this.backendPort = backendPort;
  }

  static Future<CuttingForwarder> start(Vertx vertx, int backendPort) {
    CuttingForwarder forwarder = new CuttingForwarder(vertx, backendPort);
    return vertx.createNetServer().connectHandler(forwarder::forward).listen(0, "127.0.0.1")
      .map(server -> {
        forwarder.server = server;
        return forwarder;
      });
  }

  int port() {
    return server.actualPort();
  }

  /**
   * Once {@code bytes} bytes in all have come back from backends, cut everything and switch to {@code nextPort};
   * with {@link #STOP} instead, stop listening first, so that every later attempt is refused.
   */
  synchronized void cutAfter(long bytes, int nextPort) {
    cutAtBytes = bytes;
    nextBackendPort = nextPort;
  }

  synchronized int cuts() {
    return cuts;
  }

  /** Connections accepted (the client's first one and its reconnections). */
  synchronized int connections() {
    return connections;
  }

  Future<Void> close() {
    return server.close().eventually(client::close);
  }

  private void forward(NetSocket front) {
    int port;
    synchronized (this) {
      connections++;
      port = backendPort;
    }
    front.pause();
    client.connect(port, "127.0.0.1").onComplete(connected -> {
      if (connected.failed()) {
        front.close();
        return;
      }
      NetSocket back = connected.result();
      synchronized (this) {
        open.add(front);
        open.add(back);
      }
      front.handler(back::write);
      back.handler(chunk -> fromBackend(front, chunk));
      front.closeHandler(v -> back.close());
      back.closeHandler(v -> front.close());
      front.resume();
    });
  }

  private synchronized void fromBackend(NetSocket front, Buffer chunk) {
    if (forwardedBytes + chunk.length() >= cutAtBytes) {
      cutAtBytes = Long.MAX_VALUE;
      backendPort = nextBackendPort;
      cuts++;
      List<NetSocket> cut = List.copyOf(open);
      open.clear();
      if (backendPort == STOP) {
        server.close().onComplete(closed -> cut.forEach(NetSocket::close));
      } else {
        cut.forEach(NetSocket::close);
      }
      return;
    }
    forwardedBytes += chunk.length();
    front.write(chunk);
  }
}
