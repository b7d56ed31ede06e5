package de.ackservice.bench;

import de.ackservice.config.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/**
 * The messages a run sends, encoded once: {@code batch(k)} is k messages back to back in a buffer from the
 * channel's pooled allocator, filled from the template by one bulk copy. The pool recycles the buffer once the
 * transport has written it, so a write leaves no garbage (a view of a shared buffer would cost an object per
 * write, and a reference count shared by all event loops).
 */
final class Messages {

  private static final byte[] PATTERN =
    "msg0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".getBytes(StandardCharsets.US_ASCII);

  /** Only ever read, so all event loops can copy from it at once. */
  private final byte[] template;
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
    template = new byte[size * maxBatch];
    for (int i = 0; i < maxBatch; i++) {
      System.arraycopy(one, 0, template, i * size, size);
    }
  }

  /** {@code count} messages (1 to the {@code maxBatch} given at construction), for one write. */
  ByteBuf batch(ByteBufAllocator allocator, int count) {
    int bytes = count * size;
    return allocator.directBuffer(bytes, bytes).writeBytes(template, 0, bytes);
  }
}
