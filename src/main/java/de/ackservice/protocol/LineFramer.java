package de.ackservice.protocol;

/**
 * Counts {@code \n}-terminated lines without keeping them. The server only acknowledges lines, it never needs
 * their content, so instead of buffering records (as {@code RecordParser} would) this remembers only the length
 * of the unfinished line: memory per connection is constant whatever the peer sends, and nothing is copied.
 *
 * <p>A line's length excludes its terminator, {@code \n} or {@code \r\n}. A line longer than the maximum is
 * detected as soon as its bytes exceed it, without waiting for its end.
 */
public final class LineFramer implements MessageFramer {

  private final int maxLineBytes;
  /** Bytes of the unfinished line received so far, terminator excluded. */
  private long pending;
  private boolean pendingEndsWithCr;
  private boolean tooLong;
  private int position;

  public LineFramer(int maxLineBytes) {
    this.maxLineBytes = maxLineBytes;
  }

  @Override
  public int consume(byte[] bytes, int from, int to, int maxMessages) {
    if (tooLong) {
      position = to;
      return 0;
    }
    int lineStart = from;
    int lines = 0;
    // A plain loop over the array: the JIT keeps it tight, and no per-byte bounds checks of a buffer API.
    for (int i = from; i < to && lines < maxMessages; i++) {
      if (bytes[i] != '\n') {
        continue;
      }
      boolean endsWithCr = i > lineStart ? bytes[i - 1] == '\r' : pendingEndsWithCr;
      long lineBytes = pending + (i - lineStart) - (endsWithCr ? 1 : 0);
      if (lineBytes > maxLineBytes) {
        tooLong = true;
        position = to;
        return lines;
      }
      lines++;
      pending = 0;
      pendingEndsWithCr = false;
      lineStart = i + 1;
    }
    if (lines == maxMessages) {
      position = lineStart;
      return lines;
    }
    if (lineStart < to) {
      pending += to - lineStart;
      pendingEndsWithCr = bytes[to - 1] == '\r';
      // One byte of slack: it may be the '\r' of a "\r\n" whose '\n' is still on its way.
      if (pending - (pendingEndsWithCr ? 1 : 0) > maxLineBytes) {
        tooLong = true;
      }
    }
    position = to;
    return lines;
  }

  @Override
  public int position() {
    return position;
  }

  @Override
  public boolean overLimit() {
    return tooLong;
  }

  @Override
  public boolean inspectsBytes() {
    return true;
  }
}
