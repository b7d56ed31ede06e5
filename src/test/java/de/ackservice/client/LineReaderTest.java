package de.ackservice.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lines are cut the same way whatever sizes the input arrives in. */
class LineReaderTest {

  /** Every input is read whole and in pieces of 1 and 7 bytes. */
  @ParameterizedTest
  @ValueSource(ints = {Integer.MAX_VALUE, 1, 7})
  void cutsLinesAtNewlinesAndDropsOneCarriageReturnBeforeThem(int pieces) throws IOException {
    assertEquals(List.of("a", "b"), lines("a\nb\n", 100, pieces));
    assertEquals(List.of("a", "b"), lines("a\r\nb", 100, pieces));
    assertEquals(List.of("", "", "x"), lines("\n\r\nx\n", 100, pieces));
    assertEquals(List.of("a\rb", "c\r"), lines("a\rb\nc\r\r\n", 100, pieces));
    assertEquals(List.of(), lines("", 100, pieces));
    assertEquals(List.of("Grüße 😀"), lines("Grüße 😀\n", 100, pieces));
  }

  @ParameterizedTest
  @ValueSource(ints = {Integer.MAX_VALUE, 1, 7})
  void aLineOverTheLimitIsReportedWithoutItsTerminatorCounting(int pieces) throws IOException {
    assertEquals(List.of("abc", "<too long>"), lines("abc\nabcd\nx\n", 3, pieces));
    assertEquals(List.of("abc", "abc"), lines("abc\r\nabc\r", 3, pieces));
    assertEquals(List.of("<too long>"), lines("abc\rd\n", 3, pieces));
    assertEquals(List.of("<too long>"), lines("abcd", 3, pieces));
  }

  @Test
  void aLongLineSpanningManyReadsArrivesWhole() throws IOException {
    String longLine = "x".repeat(200_000);
    assertEquals(List.of(longLine, "y"), lines(longLine + "\ny\n", 200_000, 4096));
    assertEquals(List.of("<too long>"), lines(longLine + "\ny\n", 199_999, 4096));
  }

  @Test
  void tellsWhetherAWholeLineIsBufferedSoNoLineWaitsForMoreInput() throws IOException {
    LineReader reader = new LineReader(new ByteArrayInputStream("a\nb\nc".getBytes(StandardCharsets.UTF_8)), 10);
    assertFalse(reader.hasBufferedLine());
    assertEquals("a", text(reader.next()));
    assertTrue(reader.hasBufferedLine());
    assertEquals("b", text(reader.next()));
    assertFalse(reader.hasBufferedLine(), "c may still be growing");
    assertEquals("c", text(reader.next()));
    assertTrue(reader.next().endOfInput());
  }

  private static List<String> lines(String input, int maxLineBytes, int pieces) throws IOException {
    LineReader reader = new LineReader(new Pieces(input.getBytes(StandardCharsets.UTF_8), pieces), maxLineBytes);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      LineReader.Line line = reader.next();
      if (line.endOfInput()) {
        return lines;
      }
      lines.add(text(line));
      if (line.tooLong()) {
        return lines;
      }
    }
    throw new AssertionError("more than 1000 lines");
  }

  private static String text(LineReader.Line line) {
    return line.tooLong() ? "<too long>" : new String(line.bytes(), StandardCharsets.UTF_8);
  }

  /** Hands out at most {@code size} bytes per read, as a pipe may. */
  private static final class Pieces extends InputStream {

    private final ByteArrayInputStream bytes;
    private final int size;

    Pieces(byte[] content, int size) {
      this.bytes = new ByteArrayInputStream(content);
      this.size = size;
    }

    @Override
    public int read() {
      return bytes.read();
    }

    @Override
    public int read(byte[] into, int offset, int length) {
      return bytes.read(into, offset, Math.min(length, size));
    }
  }
}
