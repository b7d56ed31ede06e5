package de.ackservice.server;

import io.vertx.core.buffer.Buffer;

/** The seed's framing: every received buffer is one message, whatever its content. Stateless. */
final class RawFramer implements MessageFramer {

  static final RawFramer INSTANCE = new RawFramer();

  private RawFramer() {
  }

  @Override
  public int messagesIn(Buffer chunk) {
    return chunk.length() > 0 ? 1 : 0;
  }

  @Override
  public boolean overLimit() {
    return false;
  }
}
