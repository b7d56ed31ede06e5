package de.ackservice.server;

import io.netty.buffer.ByteBuf;

/** The seed's framing: every received buffer is one message, whatever its content. Stateless. */
final class RawFramer implements MessageFramer {

  static final RawFramer INSTANCE = new RawFramer();

  private RawFramer() {
  }

  @Override
  public int messagesIn(ByteBuf chunk) {
    return chunk.isReadable() ? 1 : 0;
  }

  @Override
  public boolean overLimit() {
    return false;
  }
}
