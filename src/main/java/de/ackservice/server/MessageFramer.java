package de.ackservice.server;

import de.ackservice.config.Framing;
import io.netty.buffer.ByteBuf;

/** Cuts one connection's byte stream into messages. One instance per connection; not thread-safe. */
interface MessageFramer {

  /**
   * Consumes {@code chunk} up to the end of its {@code maxMessages}-th complete message (or all of it when it holds
   * fewer) and returns how many messages that completed. What is left readable has not been looked at.
   */
  int consume(ByteBuf chunk, int maxMessages);

  /** True once the peer has sent a message over the limit; nothing after it is counted. */
  boolean overLimit();

  static MessageFramer create(Framing framing, int maxLineBytes) {
    return framing == Framing.LINE ? new LineFramer(maxLineBytes) : RawFramer.INSTANCE;
  }
}
