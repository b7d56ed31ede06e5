package de.ackservice.protocol;

/** The seed's framing: every received buffer is one message, whatever its content. */
public final class RawFramer implements MessageFramer {

  private int position;

  @Override
  public int consume(byte[] bytes, int from, int to, int maxMessages) {
    if (from >= to || maxMessages < 1) {
      position = from;
      return 0;
    }
    position = to;
    return 1;
  }

  @Override
  public int position() {
    return position;
  }

  @Override
  public boolean overLimit() {
    return false;
  }

  @Override
  public boolean inspectsBytes() {
    return false;
  }
}
