package de.ackservice.bench;

import de.ackservice.config.Framing;
import io.vertx.core.buffer.Buffer;

/**
 * The messages a run sends, encoded once: {@code batch(k)} is k messages back to back, a view of one shared
 * buffer, so sending allocates no message bytes. One instance serves every event loop: Vert.x writes a slice of
 * a buffer, never the buffer itself, so concurrent writes of the same instance do not disturb each other.
 */
final class Messages {

  private static final byte[] PATTERN =
    "msg0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final Buffer[] batches;

  /** {@code size} bytes per message; in line framing the last of them is the {@code \n}. */
  Messages(int size, Framing framing, int maxBatch) {
    byte[] one = new byte[size];
    for (int i = 0; i < size; i++) {
      one[i] = PATTERN[i % PATTERN.length];
    }
    if (framing == Framing.LINE) {
      one[size - 1] = '\n';
    }
    Buffer all = Buffer.buffer(size * maxBatch);
    for (int i = 0; i < maxBatch; i++) {
      all.appendBytes(one);
    }
    batches = new Buffer[maxBatch + 1];
    for (int k = 1; k <= maxBatch; k++) {
      batches[k] = all.slice(0, k * size);
    }
  }

  /** {@code count} messages, 1 to the {@code maxBatch} given at construction. */
  Buffer batch(int count) {
    return batches[count];
  }
}
