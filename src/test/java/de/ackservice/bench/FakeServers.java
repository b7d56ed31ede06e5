package de.ackservice.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Servers that misbehave on purpose, to prove the load generator's counting: each listens on a free loopback
 * port and completes with it. They are closed with the Vert.x instance of the test.
 */
final class FakeServers {

  static final String ACK_TEXT = "Daten erfolgreich empfangen!";
  static final byte[] ACK = ACK_TEXT.getBytes(StandardCharsets.UTF_8);

  private FakeServers() {
  }

  /** Raw framing, each ack written one byte at a time, a timer tick apart, so it arrives in many TCP chunks. */
  static Future<Integer> ackOneByteAtATime(Vertx vertx) {
    return listen(vertx, socket -> socket.handler(chunk -> writeBytesApart(vertx, socket, 0)));
  }

  private static void writeBytesApart(Vertx vertx, NetSocket socket, int index) {
    socket.write(Buffer.buffer(new byte[] {ACK[index]}));
    if (index + 1 < ACK.length) {
      vertx.setTimer(1, t -> writeBytesApart(vertx, socket, index + 1));
    }
  }

  /** Raw framing: acknowledges the first {@code limit} messages it receives (over all connections), then nothing. */
  static Future<Integer> ackOnly(Vertx vertx, int limit) {
    AtomicInteger answered = new AtomicInteger();
    return listen(vertx, socket -> socket.handler(chunk -> {
      if (answered.incrementAndGet() <= limit) {
        socket.write(Buffer.buffer(ACK));
      }
    }));
  }

  /** Answers every read with {@code reply}, whatever it is. */
  static Future<Integer> replyWith(Vertx vertx, byte[] reply) {
    return listen(vertx, socket -> socket.handler(chunk -> socket.write(Buffer.buffer(reply))));
  }

  /** Line framing: answers every line with {@code reply} (which should end in a line break). */
  static Future<Integer> replyToLinesWith(Vertx vertx, String reply) {
    Buffer bytes = Buffer.buffer(reply);
    return listen(vertx, socket -> socket.handler(RecordParser.newDelimited("\n", line -> socket.write(bytes))));
  }

  /** Raw framing: acknowledges {@code acks} messages per connection, then closes it without answering the next. */
  static Future<Integer> closeAfter(Vertx vertx, int acks) {
    return listen(vertx, socket -> {
      AtomicInteger seen = new AtomicInteger();
      socket.handler(chunk -> {
        if (seen.incrementAndGet() <= acks) {
          socket.write(Buffer.buffer(ACK));
        } else {
          socket.close();
        }
      });
    });
  }

  /** A port on which nothing listens: taken from a server that is closed again at once. */
  static Future<Integer> refusingPort(Vertx vertx) {
    var server = vertx.createNetServer();
    return server.connectHandler(NetSocket::close).listen(0, "127.0.0.1")
      .compose(s -> server.close().map(v -> s.actualPort()));
  }

  private static Future<Integer> listen(Vertx vertx, io.vertx.core.Handler<NetSocket> handler) {
    return vertx.createNetServer().connectHandler(handler).listen(0, "127.0.0.1").map(s -> s.actualPort());
  }
}
