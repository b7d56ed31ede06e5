package de.ackservice.protocol;

import de.ackservice.config.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Answers are found in the byte stream whatever its chunking, and anything else is reported, never counted. */
class AnswerMatcherTest {

  private static final String ACK = "Daten erfolgreich empfangen!";

  /** Records what the matcher reports; {@code room} answers are expected, the next one is refused. */
  private static final class Recorder implements AnswerSink {
    final List<String> events = new ArrayList<>();
    int room = Integer.MAX_VALUE;

    @Override
    public boolean answer(boolean ack, int bytes) {
      if (room-- <= 0) {
        events.add("unexpected " + bytes);
        return false;
      }
      events.add((ack ? "ack " : "wrong ") + bytes);
      return true;
    }

    @Override
    public void garbage(int bytes) {
      events.add("garbage " + bytes);
    }
  }

  @Test
  void rawAcksSplitIntoSingleBytesAreCountedOnceEach() {
    AnswerMatcher matcher = AnswerMatcher.create(Framing.RAW, bytes(ACK));
    Recorder sink = new Recorder();
    byte[] three = bytes(ACK + ACK + ACK);
    for (byte b : three) {
      matcher.feed(Unpooled.wrappedBuffer(new byte[] {b}), sink);
    }
    assertEquals(List.of("ack 28", "ack 28", "ack 28"), sink.events);
    assertFalse(matcher.partial());
  }

  @Test
  void rawAcksMergedAndSplitAcrossChunksAreCountedOnceEach() {
    AnswerMatcher matcher = AnswerMatcher.create(Framing.RAW, bytes(ACK));
    Recorder sink = new Recorder();
    byte[] stream = bytes(ACK + ACK + ACK);
    matcher.feed(Unpooled.wrappedBuffer(stream, 0, 40), sink);
    assertTrue(matcher.partial());
    matcher.feed(Unpooled.wrappedBuffer(stream, 40, 44), sink);
    assertEquals(List.of("ack 28", "ack 28", "ack 28"), sink.events);
  }

  @Test
  void aRawByteThatDiffersMakesTheRestGarbageIncludingTheMatchedPart() {
    AnswerMatcher matcher = AnswerMatcher.create(Framing.RAW, bytes(ACK));
    Recorder sink = new Recorder();
    matcher.feed(text(ACK + "Daten"), sink);
    matcher.feed(text("XYZ"), sink);
    assertEquals(List.of("ack 28", "garbage 8"), sink.events);
  }

  @Test
  void anAckNobodyAskedForStopsTheMatcherAndTheRestIsGarbage() {
    AnswerMatcher matcher = AnswerMatcher.create(Framing.RAW, bytes(ACK));
    Recorder sink = new Recorder();
    sink.room = 1;
    matcher.feed(text(ACK + ACK + "tail"), sink);
    assertEquals(List.of("ack 28", "unexpected 28", "garbage 4"), sink.events);
  }

  @Test
  void linesAreOneAnswerEachAndAWrongLineIsReportedWithItsBytes() {
    AnswerMatcher matcher = AnswerMatcher.create(Framing.LINE, bytes(ACK + "\n"));
    Recorder sink = new Recorder();
    String stream = ACK + "\nDaten\n" + ACK + "\nERROR line too long: the limit is 4 bytes\n\n" + ACK + "\n";
    for (byte b : bytes(stream)) {
      matcher.feed(Unpooled.wrappedBuffer(new byte[] {b}), sink);
    }
    assertEquals(List.of("ack 29", "wrong 6", "ack 29", "wrong 42", "wrong 1", "ack 29"), sink.events);
  }

  @Test
  void linesInOneChunkAreFoundAsWellAsLinesSplitAcrossChunks() {
    AnswerMatcher matcher = AnswerMatcher.create(Framing.LINE, bytes(ACK + "\n"));
    Recorder sink = new Recorder();
    byte[] stream = bytes(ACK + "\n" + ACK + "\nDaten erfolgreich\n" + ACK + "\n" + ACK + "\n");
    matcher.feed(Unpooled.wrappedBuffer(stream, 0, 70), sink);
    matcher.feed(Unpooled.wrappedBuffer(stream, 70, stream.length - 70), sink);
    assertEquals(List.of("ack 29", "ack 29", "wrong 18", "ack 29", "ack 29"), sink.events);
    assertFalse(matcher.partial());
  }

  @Test
  void anAckFollowedByMoreTextOnTheSameLineIsAWrongLine() {
    AnswerMatcher matcher = AnswerMatcher.create(Framing.LINE, bytes(ACK + "\n"));
    Recorder sink = new Recorder();
    matcher.feed(text(ACK + "!\n"), sink);
    assertEquals(List.of("wrong 30"), sink.events);
  }

  private static ByteBuf text(String text) {
    return Unpooled.wrappedBuffer(bytes(text));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
