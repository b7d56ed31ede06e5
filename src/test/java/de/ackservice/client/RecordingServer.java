package de.ackservice.client;

import de.ackservice.config.Framing;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;

/**
 * A server that keeps every byte of its one connection, answers like ours (raw: one ack per read; line: one
 * {@code ack + "\n"} per line), and can hold its line replies until {@code batch} lines are unanswered. It
 * closes when the client closes or shuts its side.
 */
final class RecordingServer {

  private final Framing framing;
  private final Buffer ack;
  private final int batch;
  private final Buffer received = Buffer.buffer();
  private final Promise<Buffer> closed = Promise.promise();
  private int unanswered;
  private int mostUnanswered;

  RecordingServer(Framing framing, String ack, int batch) {
    this.framing = framing;
    this.ack = Buffer.buffer((framing == Framing.LINE ? ack + "\n" : ack).getBytes(StandardCharsets.UTF_8));
    this.batch = batch;
  }

  RecordingServer(Framing framing, String ack) {
    this(framing, ack, 1);
  }

  /** Listens; completes with the port. */
  Future<Integer> start(Vertx vertx) {
    return ClientTestServers.listen(vertx, this::serve).map(server -> server.actualPort());
  }

  /** Everything the connection carried, once it is closed. */
  Future<Buffer> received() {
    return closed.future();
  }

  /** Line framing: the most lines the client had sent without having their replies. */
  int mostUnanswered() {
    return mostUnanswered;
  }

  private void serve(NetSocket socket) {
    socket.handler(chunk -> {
      received.appendBuffer(chunk);
      if (framing == Framing.RAW) {
        socket.write(ack);
        return;
      }
      for (int i = 0; i < chunk.length(); i++) {
        if (chunk.getByte(i) == '\n') {
          unanswered++;
        }
      }
      mostUnanswered = Math.max(mostUnanswered, unanswered);
      while (unanswered >= batch) {
        Buffer replies = Buffer.buffer();
        for (int i = 0; i < batch; i++) {
          replies.appendBuffer(ack);
        }
        socket.write(replies);
        unanswered -= batch;
      }
    });
    socket.closeHandler(v -> closed.tryComplete(received));
  }
}
