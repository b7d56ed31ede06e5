package de.ackservice.server;

import de.ackservice.config.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;

import java.nio.charset.StandardCharsets;

/**
 * The acknowledgement bytes, encoded once at start-up into direct memory and shared by every connection. Each write
 * sends a duplicate (a view with its own indices, nothing copied), so one buffer serves all event loops at once;
 * it is unreleasable because no connection owns it.
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
    this.one = constant(bytes, 1);
    this.batch = constant(bytes, BATCH);
  }

  /** How many acknowledgements fit in {@code bytes} of write budget (at least one when there is any room). */
  int fitting(long bytes) {
    if (bytes <= 0) {
      return 0;
    }
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, bytes / ackLength));
  }

  /** Writes (without flushing) {@code count} acknowledgements in as few writes as possible. */
  void write(ChannelHandlerContext channel, int count) {
    if (count == 1) {
      channel.write(one.duplicate(), channel.voidPromise());
      return;
    }
    for (int left = count; left > 0; left -= BATCH) {
      ByteBuf acks = left >= BATCH ? batch.duplicate() : batch.slice(0, left * ackLength);
      channel.write(acks, channel.voidPromise());
    }
  }

  private static ByteBuf constant(byte[] ack, int times) {
    ByteBuf buffer = Unpooled.directBuffer(ack.length * times);
    for (int i = 0; i < times; i++) {
      buffer.writeBytes(ack);
    }
    return Unpooled.unreleasableBuffer(buffer.asReadOnly());
  }
}
