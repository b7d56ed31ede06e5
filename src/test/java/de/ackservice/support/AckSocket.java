package de.ackservice.support;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.util.Arrays;

/**
 * A Vert.x client connection in raw framing, stop-and-wait: {@link #ping} writes one message and completes once
 * its acknowledgement has arrived, byte for byte. Also tells when the server closed the connection and what had
 * arrived by then. Callable from any thread: its state is only touched on the connection's event loop.
 */
public final class AckSocket {

  private final NetSocket socket;
  private final Context context;
  private final Buffer received = Buffer.buffer();
  private final Promise<Buffer> closed = Promise.promise();
  private int pings;
  private Promise<Void> waiting;

  private AckSocket(NetSocket socket) {
    this.socket = socket;
    this.context = Vertx.currentContext();
    socket.handler(this::onData);
    // Failures show as a close (and a failed ping); without a handler Vert.x would log each one as an ERROR.
    socket.exceptionHandler(error -> { });
    socket.closeHandler(v -> {
      closed.tryComplete(received.copy());
      if (waiting != null) {
        waiting.tryFail(new AssertionError("the server closed the connection; received " + received.length()
          + " bytes, expected " + pings * Acks.RAW.length));
      }
    });
  }

  public static Future<AckSocket> connect(NetClient client, int port, String host) {
    return client.connect(port, host).map(AckSocket::new);
  }

  /** Sends {@code message} and completes once its acknowledgement, exactly, has arrived. */
  public Future<Void> ping(String message) {
    Promise<Void> acknowledged = Promise.promise();
    context.runOnContext(v -> {
      pings++;
      waiting = acknowledged;
      socket.write(message).onFailure(acknowledged::tryFail);
      check();
    });
    return acknowledged.future();
  }

  /** Completes with everything received once the server has closed the connection. */
  public Future<Buffer> closedByServer() {
    return closed.future();
  }

  public NetSocket socket() {
    return socket;
  }

  private void onData(Buffer chunk) {
    received.appendBuffer(chunk);
    check();
  }

  private void check() {
    int expected = pings * Acks.RAW.length;
    if (waiting == null || received.length() < expected) {
      return;
    }
    Promise<Void> done = waiting;
    waiting = null;
    byte[] acks = received.getBytes();
    for (int i = 0; i < pings; i++) {
      if (!Arrays.equals(acks, i * Acks.RAW.length, (i + 1) * Acks.RAW.length, Acks.RAW, 0, Acks.RAW.length)) {
        done.fail(new AssertionError("not the acknowledgement: " + received));
        return;
      }
    }
    if (received.length() > expected) {
      done.fail(new AssertionError("more than one acknowledgement per message: " + received));
      return;
    }
    done.complete();
  }
}
