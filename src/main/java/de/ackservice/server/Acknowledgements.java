package de.ackservice.server;

import de.ackservice.config.Framing;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * The acknowledgement bytes, encoded once per verticle instance (so per event loop) as one Buffer holding
 * {@link #BATCH} copies. All the acknowledgements due for one received buffer go out in one write of a slice of it:
 * one small view object per write, nothing per acknowledgement.
 */
final class Acknowledgements {

  /** Acknowledgements per write at most; a read holding more lines is answered in several writes. */
  static final int BATCH = 4096;

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

  /** How many acknowledgements fit in {@code bytes} (at least one, at most {@link #BATCH}). */
  int fitting(int bytes) {
    return Math.max(1, Math.min(BATCH, bytes / ackLength));
  }

  /** The bytes of one acknowledgement on the wire, its line terminator included in line framing. */
  int bytesPerAck() {
    return ackLength;
  }

  /** {@code count} (1 to {@link #BATCH}) acknowledgements back to back, as one Buffer to write. */
  Buffer times(int count) {
    return count == 1 ? one : batch.slice(0, count * ackLength);
  }
}
