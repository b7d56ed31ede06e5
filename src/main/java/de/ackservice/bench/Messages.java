package de.ackservice.bench;

import de.ackservice.config.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/**
 * The messages a run sends, encoded once into one direct buffer: {@code batch(k)} is k messages back to back.
 * Direct, so the transport writes it to the socket without copying it first; never released, so every
 * connection on every event loop can write views of it at the same time.
 */
final class Messages {

  private static final byte[] PATTERN =
    "msg0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".getBytes(StandardCharsets.US_ASCII);

  private final ByteBuf all;
  private final int size;

  /** {@code size} bytes per message; in line framing the last of them is the {@code \n}. */
  Messages(int size, Framing framing, int maxBatch) {
    this.size = size;
    byte[] one = new byte[size];
    for (int i = 0; i < size; i++) {
      one[i] = PATTERN[i % PATTERN.length];
    }
    if (framing == Framing.LINE) {
      one[size - 1] = '\n';
    }
    ByteBuf bytes = Unpooled.directBuffer(size * maxBatch);
    for (int i = 0; i < maxBatch; i++) {
      bytes.writeBytes(one);
    }
    all = Unpooled.unreleasableBuffer(bytes.asReadOnly());
  }

  /** A view of {@code count} messages (1 to the {@code maxBatch} given at construction) with its own indexes. */
  ByteBuf batch(int count) {
    return all.slice(0, count * size);
  }
}
