package de.ackservice.protocol;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LineFramerTest {

  private static int count(LineFramer framer, String chunk) {
    byte[] bytes = chunk.getBytes(StandardCharsets.ISO_8859_1);
    int lines = framer.consume(bytes, 0, bytes.length, Integer.MAX_VALUE);
    assertThat(framer.position()).as("all of it consumed").isEqualTo(bytes.length);
    return lines;
  }

  @Test
  void scansOnlyTheGivenRangeOfTheArray() {
    byte[] bytes = "\n\nab\ncd\n\n".getBytes(StandardCharsets.US_ASCII);
    LineFramer framer = new LineFramer(100);
    assertThat(framer.consume(bytes, 2, 8, Integer.MAX_VALUE)).isEqualTo(2);
    assertThat(framer.position()).isEqualTo(8);
  }

  @Test
  void rawFramingCountsEachNonEmptyReadAsOneMessage() {
    RawFramer framer = new RawFramer();
    assertThat(framer.consume(null, 3, 10, 5)).isEqualTo(1);
    assertThat(framer.position()).isEqualTo(10);
    assertThat(framer.consume(null, 4, 4, 5)).isZero();
    assertThat(framer.consume(null, 0, 10, 0)).as("no room to answer: nothing consumed").isZero();
    assertThat(framer.position()).isZero();
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
    byte[] binary = {(byte) 0xff, 0, (byte) 0xc3, '\n', (byte) 0x80, '\n'};
    assertThat(new LineFramer(100).consume(binary, 0, binary.length, Integer.MAX_VALUE)).isEqualTo(2);
  }

  @Test
  void consumesNoFurtherThanTheMessagesItMayAnswer() {
    LineFramer framer = new LineFramer(100);
    byte[] chunk = "a\nbb\nccc\ndd".getBytes(StandardCharsets.US_ASCII);
    assertThat(framer.consume(chunk, 0, chunk.length, 2)).isEqualTo(2);
    assertThat(framer.position()).as("stops after \"bb\\n\"").isEqualTo(5);
    assertThat(framer.consume(chunk, 5, chunk.length, 5)).isEqualTo(1);
    assertThat(framer.position()).isEqualTo(chunk.length);
    assertThat(count(framer, "\n")).as("the held \"dd\" completes").isEqualTo(1);
  }
}
