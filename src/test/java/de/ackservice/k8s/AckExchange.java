package de.ackservice.k8s;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * One client connection in raw framing, with exact accounting: every message is written only after the previous
 * one was acknowledged (except when the test says otherwise), so each message is one read for the server and one
 * acknowledgement for the client, and the bytes received must be exactly {@code sent × ack length}.
 */
final class AckExchange {

  private final NetSocket socket;
  private final byte[] ack;
  private final Buffer received = Buffer.buffer();
  private int sent;
  private Promise<Void> waiting;

  AckExchange(NetSocket socket, byte[] ack) {
    this.socket = socket;
    this.ack = ack;
    socket.handler(this::onData);
    socket.closeHandler(v -> {
      if (waiting != null) {
        waiting.tryFail(new AssertionError("the server closed the connection with " + received.length()
          + " of " + expectedBytes() + " acknowledgement bytes received"));
        waiting = null;
      }
    });
  }

  /** Writes one message; completes once it is handed to the operating system. */
  Future<Void> send(String message) {
    sent++;
    return socket.write(message);
  }

  /** Completes once every message sent so far is acknowledged. */
  Future<Void> awaitAcks() {
    if (received.length() >= expectedBytes()) {
      return Future.succeededFuture();
    }
    waiting = Promise.promise();
    return waiting.future();
  }

  /** Sends {@code count} messages one after the other, each after the previous one's acknowledgement. */
  Future<Void> pingPong(int count, String label) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 1; i <= count; i++) {
      String message = label + " " + i;
      chain = chain.compose(v -> send(message)).compose(v -> awaitAcks());
    }
    return chain;
  }

  Future<Void> close() {
    return socket.close();
  }

  int sent() {
    return sent;
  }

  byte[] received() {
    return received.getBytes();
  }

  int localPort() {
    return socket.localAddress().port();
  }

  private int expectedBytes() {
    return sent * ack.length;
  }

  private void onData(Buffer chunk) {
    received.appendBuffer(chunk);
    if (waiting != null && received.length() >= expectedBytes()) {
      Promise<Void> done = waiting;
      waiting = null;
      done.complete();
    }
  }
}
