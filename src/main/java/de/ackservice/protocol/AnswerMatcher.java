package de.ackservice.protocol;

import de.ackservice.config.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * Cuts one connection's received bytes into answers, whatever the TCP chunking: it compares them byte by byte
 * with the expected acknowledgement and keeps only its position in it between chunks. It works on Netty's buffer
 * where the bytes landed, so that a load generator matching a server's answers does not copy them.
 */
public abstract class AnswerMatcher {

  protected final byte[] expected;
  /** The same bytes, for comparing a whole answer at once (word by word) when it lies complete in a chunk. */
  private final ByteBuf expectedBuf;
  /** Bytes of the current answer matched so far. */
  protected int matched;

  AnswerMatcher(byte[] expected) {
    this.expected = expected;
    this.expectedBuf = Unpooled.wrappedBuffer(expected);
  }

  /** True when a whole expected answer starts at {@code index} of {@code chunk}: the common case, made cheap. */
  protected final boolean wholeAnswerAt(ByteBuf chunk, int index, int end) {
    return end - index >= expected.length && ByteBufUtil.equals(chunk, index, expectedBuf, 0, expected.length);
  }

  /** A matcher for {@code ack}'s answers as they come on the wire. */
  public static AnswerMatcher of(AckText ack) {
    return create(ack.framing(), ack.wireBytes());
  }

  /** @param expected one answer's bytes on the wire, the {@code \n} included in line framing */
  public static AnswerMatcher create(Framing framing, byte[] expected) {
    return framing == Framing.LINE ? new LineAnswerMatcher(expected) : new RawAnswerMatcher(expected);
  }

  /**
   * Hands one answer to the sink. When the sink did not expect it, the {@code bytesLeft} bytes after it in the chunk
   * are reported as garbage and false tells the caller to stop matching.
   */
  protected static boolean delivered(AnswerSink sink, boolean ack, int bytes, int bytesLeft) {
    if (sink.answer(ack, bytes)) {
      return true;
    }
    sink.garbage(bytesLeft);
    return false;
  }

  /** Matches the readable bytes of {@code chunk} (without consuming them). */
  public abstract void feed(ByteBuf chunk, AnswerSink sink);

  /** True when part of an answer has arrived and the rest has not. */
  public boolean partial() {
    return matched > 0;
  }

  /**
   * Raw framing: answers are acknowledgements back to back with no delimiter, so a byte that differs from the
   * expected one leaves no way to find the next answer: it and everything after it on this connection is garbage.
   */
  static final class RawAnswerMatcher extends AnswerMatcher {

    RawAnswerMatcher(byte[] expected) {
      super(expected);
    }

    @Override
    public void feed(ByteBuf chunk, AnswerSink sink) {
      int end = chunk.writerIndex();
      for (int i = chunk.readerIndex(); i < end; i++) {
        if (matched == 0 && wholeAnswerAt(chunk, i, end)) {
          i += expected.length - 1;
          if (!delivered(sink, true, expected.length, end - i - 1)) {
            return;
          }
          continue;
        }
        if (chunk.getByte(i) != expected[matched]) {
          sink.garbage(matched + end - i);
          matched = 0;
          return;
        }
        if (++matched == expected.length) {
          matched = 0;
          if (!delivered(sink, true, expected.length, end - i - 1)) {
            return;
          }
        }
      }
    }
  }

  /**
   * Line framing: every {@code \n} ends one answer; a line that is not the acknowledgement is a wrong answer
   * (counted, its bytes reported as unexpected), and matching resumes with the next line.
   */
  static final class LineAnswerMatcher extends AnswerMatcher {

    /** Length so far of a line already known not to be the acknowledgement, or -1. */
    private int wrongLineBytes = -1;

    LineAnswerMatcher(byte[] expected) {
      super(expected);
    }

    @Override
    public void feed(ByteBuf chunk, AnswerSink sink) {
      int end = chunk.writerIndex();
      for (int i = chunk.readerIndex(); i < end; i++) {
        if (matched == 0 && wrongLineBytes < 0 && wholeAnswerAt(chunk, i, end)) {
          i += expected.length - 1;
          if (!delivered(sink, true, expected.length, end - i - 1)) {
            return;
          }
          continue;
        }
        byte b = chunk.getByte(i);
        boolean stillAck = wrongLineBytes < 0 && b == expected[matched];
        if (stillAck) {
          if (++matched < expected.length) {
            continue;
          }
          matched = 0;
          if (!delivered(sink, true, expected.length, end - i - 1)) {
            return;
          }
          continue;
        }
        if (wrongLineBytes < 0) {
          wrongLineBytes = matched;
          matched = 0;
        }
        wrongLineBytes++;
        if (b == '\n') {
          int bytes = wrongLineBytes;
          wrongLineBytes = -1;
          if (!delivered(sink, false, bytes, end - i - 1)) {
            return;
          }
        }
      }
    }

    @Override
    public boolean partial() {
      return matched > 0 || wrongLineBytes >= 0;
    }
  }
}
