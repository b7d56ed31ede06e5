package de.ackservice.bench;

import de.ackservice.config.Framing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchOptionsParserTest {

  @Test
  void noOptionsGiveTheDocumentedDefaults() {
    BenchOptions o = BenchOptionsParser.parse();
    assertEquals("127.0.0.1", o.host());
    assertEquals(5000, o.port());
    assertEquals(Framing.RAW, o.framing());
    assertEquals(100, o.connections());
    assertEquals(Mode.SAW, o.mode());
    assertEquals(1, o.depth());
    assertEquals(16, o.size());
    assertEquals(Duration.ofSeconds(2), o.warmup());
    assertEquals(Duration.ofSeconds(10), o.duration());
    assertFalse(o.countsMessages());
    assertEquals(Duration.ZERO, o.ramp());
    assertEquals("Daten erfolgreich empfangen!", o.ack().text());
    assertEquals(28, o.ack().wireBytes().length);
    assertNull(o.jsonFile());
    assertEquals(Math.min(2, Runtime.getRuntime().availableProcessors()), o.eventLoops());
    assertEquals(Duration.ofSeconds(5), o.timeout());
  }

  @Test
  void everyOptionIsRead(@TempDir Path dir) {
    BenchOptions o = BenchOptionsParser.parse("--host", "::1", "--port=6000", "--framing", "LINE", "--connections",
      "50", "--mode", "pipe", "--depth", "32", "--size", "100", "--warmup", "0.5", "--messages", "1000", "--ramp",
      "1.5", "--timeout", "2", "--ack", "ok", "--event-loops", "2", "--json", dir.resolve("r.json").toString());
    assertEquals("::1", o.host());
    assertEquals(6000, o.port());
    assertEquals(Framing.LINE, o.framing());
    assertEquals(50, o.connections());
    assertEquals(Mode.PIPE, o.mode());
    assertEquals(32, o.depth());
    assertEquals(100, o.size());
    assertEquals(Duration.ofMillis(500), o.warmup());
    assertTrue(o.countsMessages());
    assertEquals(1000, o.messages());
    assertNull(o.duration());
    assertEquals(Duration.ofMillis(1500), o.ramp());
    assertEquals(Duration.ofSeconds(2), o.timeout());
    assertEquals("ok\n", new String(o.ack().wireBytes(), java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(2, o.eventLoops());
    assertEquals(dir.resolve("r.json"), o.jsonFile());
  }

  @Test
  void pipelinedMessagesDefaultToFourBytesWithTheLineBreakIncluded() {
    BenchOptions o = BenchOptionsParser.parse("--framing", "line", "--mode", "pipe");
    assertEquals(4, o.size());
    assertEquals(16, o.depth());
  }

  @Test
  void badValuesNameTheOptionAndTheValue() {
    assertError("--port: must be between 1 and 65535, got 70000", "--port", "70000");
    assertError("--connections: expected a whole number, got 'many'", "--connections", "many");
    assertError("--connections: must be between 1 and 1000000, got 0", "--connections", "0");
    assertError("--framing: expected raw or line, got 'json'", "--framing", "json");
    assertError("--mode: expected saw or pipe, got 'burst'", "--mode", "burst");
    assertError("--duration: must be more than 0 and at most 86400 seconds, got 0", "--duration", "0");
    assertError("--warmup: expected seconds, e.g. 5 or 0.5, got '1s'", "--warmup", "1s");
    assertError("--warmup: must be between 0 and at most 86400 seconds, got -1", "--warmup", "-1");
    assertError("--size: must be between 1 and 1048576, got 0", "--size", "0");
    assertError("--ack: must not be empty", "--ack", "");
    assertError("--host: must not be empty", "--host", " ");
  }

  @Test
  void contradictoryOptionsAreRefused() {
    assertError("--duration and --messages: give one of them, not both", "--duration", "5", "--messages", "10");
    assertTrue(message("--mode", "pipe").startsWith("--mode pipe needs --framing line"));
    assertEquals("--depth: only with --mode pipe (stop-and-wait has one message in flight)",
      message("--depth", "8"));
    assertEquals("--ack: must not contain a line break in line framing",
      message("--framing", "line", "--ack", "a\nb"));
    assertTrue(message("--framing", "line", "--mode", "pipe", "--depth", "4096", "--size", "1048576")
      .startsWith("--depth x --size: at most"));
  }

  @Test
  void unknownMissingAndRepeatedOptionsAreRefused(@TempDir Path dir) {
    assertError("unknown option --conns (see --help)", "--conns", "5");
    assertError("unknown option --verbose (see --help)", "--verbose");
    assertError("--port: missing value", "--port");
    assertError("--port: given twice", "--port", "1", "--port", "2");
    assertError("unexpected argument 'fast' (options start with --; see --help)", "fast");
    assertEquals("--json: the folder of " + dir.resolve("missing/r.json") + " does not exist",
      message("--json", dir.resolve("missing/r.json").toString()));
  }

  @Test
  void helpIsRecognisedAnywhere() {
    assertTrue(BenchOptionsParser.wantsHelp("--port", "1", "--help"));
    assertFalse(BenchOptionsParser.wantsHelp("--port", "1"));
  }

  private static void assertError(String expected, String... args) {
    assertEquals(expected, message(args));
  }

  private static String message(String... args) {
    return assertThrows(BenchUsageException.class, () -> BenchOptionsParser.parse(args)).getMessage();
  }
}
