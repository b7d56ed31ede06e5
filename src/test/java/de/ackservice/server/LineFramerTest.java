package de.ackservice.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LineFramerTest {

  private static int count(LineFramer framer, String chunk) {
    return framer.consume(Unpooled.copiedBuffer(chunk, StandardCharsets.ISO_8859_1), Integer.MAX_VALUE);
  }

  @Test
  void countsEveryTerminatedLineInAChunk() {
    assertThat(count(new LineFramer(100), "a\nbb\n\nccc\n")).isEqualTo(4);
  }

  @Test
  void aLineSplitAcrossChunksCountsOnceWhenItEnds() {
    LineFramer framer = new LineFramer(100);
    assertThat(count(framer, "hal")).isZero();
    assertThat(count(framer, "lo")).isZero();
    assertThat(count(framer, "\nwel")).isEqualTo(1);
    assertThat(count(framer, "t\n")).isEqualTo(1);
  }

  @Test
  void crlfCountsAsOneTerminatorAlsoWhenSplitBetweenChunks() {
    LineFramer framer = new LineFramer(3);
    assertThat(count(framer, "abc\r\n")).isEqualTo(1);
    assertThat(count(framer, "abc\r")).isZero();
    assertThat(count(framer, "\n")).isEqualTo(1);
    assertThat(framer.overLimit()).isFalse();
  }

  @Test
  void aLineOfExactlyTheMaximumIsAcceptedAndOneByteMoreIsNot() {
    LineFramer framer = new LineFramer(3);
    assertThat(count(framer, "abc\n")).isEqualTo(1);
    assertThat(count(framer, "ok\nabcd\nnever counted\n")).isEqualTo(1);
    assertThat(framer.overLimit()).isTrue();
  }

  @Test
  void anOverLongLineIsDetectedBeforeItsEndArrives() {
    LineFramer framer = new LineFramer(4);
    assertThat(count(framer, "abcd")).isZero();
    assertThat(framer.overLimit()).isFalse();
    assertThat(count(framer, "\r")).isZero();
    assertThat(framer.overLimit()).as("a trailing \\r may still be a terminator").isFalse();
    assertThat(count(framer, "x")).isZero();
    assertThat(framer.overLimit()).isTrue();
    assertThat(count(framer, "\n\n\n")).as("nothing counts after the limit").isZero();
  }

  @Test
  void bytesAreBytesNotText() {
    ByteBuf binary = Unpooled.wrappedBuffer(new byte[] {(byte) 0xff, 0, (byte) 0xc3, '\n', (byte) 0x80, '\n'});
    assertThat(new LineFramer(100).consume(binary, Integer.MAX_VALUE)).isEqualTo(2);
  }

  @Test
  void consumesNoFurtherThanTheMessagesItMayAnswer() {
    LineFramer framer = new LineFramer(100);
    ByteBuf chunk = Unpooled.copiedBuffer("a\nbb\nccc\ndd", StandardCharsets.US_ASCII);
    assertThat(framer.consume(chunk, 2)).isEqualTo(2);
    assertThat(chunk.toString(StandardCharsets.US_ASCII)).isEqualTo("ccc\ndd");
    assertThat(framer.consume(chunk, 5)).isEqualTo(1);
    assertThat(chunk.isReadable()).isFalse();
    assertThat(count(framer, "\n")).as("the held \"dd\" completes").isEqualTo(1);
  }
}
