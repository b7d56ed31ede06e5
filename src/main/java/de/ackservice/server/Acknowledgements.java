package de.ackservice.server;

import de.ackservice.config.Framing;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;

/**
 * The acknowledgement bytes, encoded once at start-up and shared by every connection (Vert.x writes a slice of a
 * buffer, never the buffer itself, so one instance can be written from all event loops at once).
 */
final class Acknowledgements {

  /** Lines acknowledged with one write when a read carried many (pipelined clients). */
  private static final int BATCH = 256;

  private final Buffer one;
  private final Buffer batch;
  private final int ackLength;

  Acknowledgements(String ack, Framing framing) {
    byte[] bytes = (framing == Framing.LINE ? ack + "\n" : ack).getBytes(StandardCharsets.UTF_8);
    this.ackLength = bytes.length;
    this.one = Buffer.buffer(bytes);
    Buffer repeated = Buffer.buffer(bytes.length * BATCH);
    for (int i = 0; i < BATCH; i++) {
      repeated.appendBytes(bytes);
    }
    this.batch = repeated;
  }

  /** Writes {@code count} acknowledgements, in as few writes as possible. */
  void write(NetSocket socket, int count) {
    if (count == 1) {
      socket.write(one);
      return;
    }
    int left = count;
    while (left > 0) {
      int now = Math.min(left, BATCH);
      socket.write(now == BATCH ? batch : batch.slice(0, now * ackLength));
      left -= now;
    }
  }
}
