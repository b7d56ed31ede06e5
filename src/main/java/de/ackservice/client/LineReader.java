package de.ackservice.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Cuts an input stream into lines of bytes. Bytes, not characters: what the user typed or piped is sent exactly as
 * it is, whatever its encoding. A line ends at {@code \n}; one {@code \r} before it is dropped too (files from
 * Windows); the last line needs no terminator.
 *
 * <p>A line is never held beyond {@code maxLineBytes}: a longer one is reported as {@link Line#tooLong()} as soon
 * as its bytes exceed the limit, without reading the rest of it. Not thread-safe: one reader thread owns it.
 */
final class LineReader {

  /** One result of {@link #next()}: a line, the end of the input, or a line over the limit. */
  record Line(byte[] bytes, boolean endOfInput, boolean tooLong) {

    static final Line END = new Line(null, true, false);
    static final Line TOO_LONG = new Line(null, false, true);

    boolean isEmpty() {
      return bytes != null && bytes.length == 0;
    }
  }

  private final InputStream in;
  private final int maxLineBytes;
  private final byte[] buffer = new byte[64 * 1024];
  /** Unconsumed bytes are {@code buffer[start, end)}. */
  private int start;
  private int end;
  private boolean eof;

  LineReader(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /** Blocks until a whole line, the end of the input or a line over the limit has been read. */
  Line next() throws IOException {
    byte[] line = new byte[0];
    while (true) {
      int newline = indexOfNewline();
      int chunkEnd = newline >= 0 ? newline : end;
      int lineLength = line.length + (chunkEnd - start);
      // A line ending in "\r\n" may be one byte over the limit before its '\r' is dropped.
      if (lineLength > maxLineBytes + 1 || (lineLength == maxLineBytes + 1 && !endsWithCr(line, chunkEnd))) {
        start = chunkEnd;
        return Line.TOO_LONG;
      }
      if (newline >= 0 || (eof && (line.length > 0 || start < end))) {
        line = append(line, chunkEnd);
        start = newline >= 0 ? newline + 1 : end;
        return new Line(withoutCr(line), false, false);
      }
      if (eof) {
        return Line.END;
      }
      line = append(line, end);
      start = 0;
      end = 0;
      int read = in.read(buffer, 0, buffer.length);
      if (read < 0) {
        eof = true;
      } else {
        end = read;
      }
    }
  }

  /**
   * Whether {@link #next()} would return without blocking on the input: a whole line (or the end) is buffered.
   * Lets the reader hand several lines over at once without delaying a line it already has.
   */
  boolean hasBufferedLine() {
    return indexOfNewline() >= 0 || (eof && start < end);
  }

  private int indexOfNewline() {
    for (int i = start; i < end; i++) {
      if (buffer[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private boolean endsWithCr(byte[] line, int chunkEnd) {
    if (chunkEnd > start) {
      return buffer[chunkEnd - 1] == '\r';
    }
    return line.length > 0 && line[line.length - 1] == '\r';
  }

  private byte[] append(byte[] line, int chunkEnd) {
    int length = chunkEnd - start;
    if (length == 0) {
      return line;
    }
    byte[] longer = Arrays.copyOf(line, line.length + length);
    System.arraycopy(buffer, start, longer, line.length, length);
    return longer;
  }

  private static byte[] withoutCr(byte[] line) {
    return line.length > 0 && line[line.length - 1] == '\r' ? Arrays.copyOf(line, line.length - 1) : line;
  }
}
