package de.ackservice.server;

import de.ackservice.config.Framing;
import io.netty.buffer.ByteBuf;

/** Cuts one connection's byte stream into messages. One instance per connection; not thread-safe. */
interface MessageFramer {

  /** @return how many complete messages {@code chunk}'s readable bytes finish; does not consume them */
  int messagesIn(ByteBuf chunk);

  /** True once the peer has sent a message over the limit; nothing after it is counted. */
  boolean overLimit();

  static MessageFramer create(Framing framing, int maxLineBytes) {
    return framing == Framing.LINE ? new LineFramer(maxLineBytes) : RawFramer.INSTANCE;
  }
}
