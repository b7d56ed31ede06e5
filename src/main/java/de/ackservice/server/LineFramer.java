package de.ackservice.server;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Counts {@code \n}-terminated lines without keeping them. The server only acknowledges lines, it never needs
 * their content, so instead of buffering records (as {@code RecordParser} would) this remembers only the length
 * of the unfinished line: memory per connection is constant whatever the peer sends, and nothing is copied.
 *
 * <p>A line's length excludes its terminator, {@code \n} or {@code \r\n}. A line longer than the maximum is
 * detected as soon as its bytes exceed it, without waiting for its end.
 */
final class LineFramer implements MessageFramer {

  private final int maxLineBytes;
  /** Bytes of the unfinished line received so far, terminator excluded. */
  private long pending;
  private boolean pendingEndsWithCr;
  private boolean overLimit;

  LineFramer(int maxLineBytes) {
    this.maxLineBytes = maxLineBytes;
  }

  @Override
  public int consume(ByteBuf bytes, int maxMessages) {
    if (overLimit) {
      bytes.skipBytes(bytes.readableBytes());
      return 0;
    }
    int end = bytes.writerIndex();
    int lineStart = bytes.readerIndex();
    int lines = 0;
    int newline;
    while (lines < maxMessages && lineStart < end
      && (newline = bytes.forEachByte(lineStart, end - lineStart, ByteProcessor.FIND_LF)) >= 0) {
      boolean endsWithCr = newline > lineStart ? bytes.getByte(newline - 1) == '\r' : pendingEndsWithCr;
      long lineBytes = pending + (newline - lineStart) - (endsWithCr ? 1 : 0);
      if (lineBytes > maxLineBytes) {
        overLimit = true;
        bytes.readerIndex(end);
        return lines;
      }
      lines++;
      pending = 0;
      pendingEndsWithCr = false;
      lineStart = newline + 1;
    }
    if (lines == maxMessages) {
      bytes.readerIndex(lineStart);
      return lines;
    }
    if (lineStart < end) {
      pending += end - lineStart;
      pendingEndsWithCr = bytes.getByte(end - 1) == '\r';
      // One byte of slack: it may be the '\r' of a "\r\n" whose '\n' is still on its way.
      if (pending - (pendingEndsWithCr ? 1 : 0) > maxLineBytes) {
        overLimit = true;
      }
    }
    bytes.readerIndex(end);
    return lines;
  }

  @Override
  public boolean overLimit() {
    return overLimit;
  }
}
