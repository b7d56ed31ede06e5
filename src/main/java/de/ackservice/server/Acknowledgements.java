package de.ackservice.server;

import de.ackservice.config.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;

import java.nio.charset.StandardCharsets;

/**
 * The acknowledgement bytes, encoded once per event loop into pooled direct memory. A write sends a retained
 * duplicate or slice: Netty recycles those views, so answering a message allocates nothing, and each event loop
 * has its own copy so that no reference count is shared between cores.
 */
final class Acknowledgements {

  /** Lines acknowledged with one write when a read carried many (pipelined clients). */
  private static final int BATCH = 256;

  private final ByteBuf one;
  private final ByteBuf batch;
  private final int ackLength;

  Acknowledgements(String ack, Framing framing) {
    byte[] bytes = (framing == Framing.LINE ? ack + "\n" : ack).getBytes(StandardCharsets.UTF_8);
    this.ackLength = bytes.length;
    this.one = repeated(bytes, 1);
    this.batch = repeated(bytes, BATCH);
  }

  /** How many acknowledgements fit in {@code bytes} of write budget (at least one when there is any room). */
  int fitting(long bytes) {
    if (bytes <= 0) {
      return 0;
    }
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, bytes / ackLength));
  }

  /** The bytes of one acknowledgement on the wire, its line terminator included in line framing. */
  int bytesPerAck() {
    return ackLength;
  }

  /** Writes (without flushing) {@code count} acknowledgements in as few writes as possible. */
  void write(ChannelHandlerContext channel, int count) {
    if (count == 1) {
      channel.write(one.retainedDuplicate(), channel.voidPromise());
      return;
    }
    for (int left = count; left > 0; left -= BATCH) {
      ByteBuf acks = left >= BATCH ? batch.retainedDuplicate() : batch.retainedSlice(0, left * ackLength);
      channel.write(acks, channel.voidPromise());
    }
  }

  /** Gives the constant buffers back to the pool (when the verticle stops). */
  void release() {
    one.release();
    batch.release();
  }

  private static ByteBuf repeated(byte[] ack, int times) {
    ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(ack.length * times);
    for (int i = 0; i < times; i++) {
      buffer.writeBytes(ack);
    }
    return buffer;
  }
}
