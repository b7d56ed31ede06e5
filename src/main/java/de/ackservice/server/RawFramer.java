package de.ackservice.server;

import io.netty.buffer.ByteBuf;

/** The seed's framing: every received buffer is one message, whatever its content. Stateless. */
final class RawFramer implements MessageFramer {

  static final RawFramer INSTANCE = new RawFramer();

  private RawFramer() {
  }

  @Override
  public int consume(ByteBuf chunk, int maxMessages) {
    if (!chunk.isReadable() || maxMessages < 1) {
      return 0;
    }
    chunk.skipBytes(chunk.readableBytes());
    return 1;
  }

  @Override
  public boolean overLimit() {
    return false;
  }
}
