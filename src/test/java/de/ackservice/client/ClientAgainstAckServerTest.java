package de.ackservice.client;

import de.ackservice.config.Framing;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static de.ackservice.client.ClientRun.REPLY;
import static de.ackservice.client.ClientRun.replies;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client against our own server, in both framings, as a script and as a person would use it. */
@ExtendWith(VertxExtension.class)
class ClientAgainstAckServerTest {

  @ParameterizedTest
  @EnumSource(Framing.class)
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aScriptGetsOneReplyLinePerInputLineAndNothingElse(Framing framing, Vertx vertx, VertxTestContext ctx) {
    ClientTestServers.ackServer(vertx, framing, new JsonObject())
      .compose(server -> ClientRun.script(vertx, ClientTestServers.client(server.port(), framing), "eins\nzwei\ndrei\n")
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertEquals(replies(3), result.out());
          assertEquals("", result.err());
          assertEquals(ClientExit.OK, result.status());
          assertEquals(3, server.counters().messages());
          ctx.completeNow();
        }))));
  }

  @ParameterizedTest
  @EnumSource(Framing.class)
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void theLastLineNeedsNoNewline(Framing framing, Vertx vertx, VertxTestContext ctx) {
    ClientTestServers.ackServer(vertx, framing, new JsonObject())
      .compose(server -> ClientRun.script(vertx, ClientTestServers.client(server.port(), framing), "eins\nzwei")
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertEquals(replies(2), result.out());
          assertEquals(ClientExit.OK, result.status());
          assertEquals(2, server.counters().messages());
          ctx.completeNow();
        }))));
  }

  @ParameterizedTest
  @EnumSource(Framing.class)
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void anEmptyInputSendsNothingAndSucceeds(Framing framing, Vertx vertx, VertxTestContext ctx) {
    ClientTestServers.ackServer(vertx, framing, new JsonObject())
      .compose(server -> ClientRun.script(vertx, ClientTestServers.client(server.port(), framing), "")
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertEquals("", result.out());
          assertEquals("", result.err());
          assertEquals(ClientExit.OK, result.status());
          assertEquals(0, server.counters().messages());
          ctx.completeNow();
        }))));
  }

  @ParameterizedTest
  @EnumSource(Framing.class)
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void interactiveShowsTheSeedPromptBeforeEachLineAndEndsOnExit(Framing framing, Vertx vertx,
                                                               VertxTestContext ctx) {
    ClientTestServers.ackServer(vertx, framing, new JsonObject())
      .compose(server -> ClientRun.interactive(vertx, ClientTestServers.client(server.port(), framing),
          "hallo\nwelt\nexit\n")
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          String prompt = StdinReader.PROMPT;
          assertEquals(prompt + REPLY + "\n" + prompt + REPLY + "\n" + prompt, result.out());
          assertEquals("", result.err());
          assertEquals(ClientExit.OK, result.status());
          assertEquals(2, server.counters().messages());
          ctx.completeNow();
        }))));
  }

  @ParameterizedTest
  @EnumSource(Framing.class)
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void interactiveEndOfInputEndsWithStatusZeroAndANewline(Framing framing, Vertx vertx, VertxTestContext ctx) {
    ClientTestServers.ackServer(vertx, framing, new JsonObject())
      .compose(server -> ClientRun.interactive(vertx, ClientTestServers.client(server.port(), framing), "hallo\n")
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertEquals(StdinReader.PROMPT + REPLY + "\n" + StdinReader.PROMPT + "\n", result.out());
          assertEquals(ClientExit.OK, result.status());
          ctx.completeNow();
        }))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"exit", "EXIT", "Exit", "eXiT", "  exit\t", "exit\r"})
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void exitInAnyCaseEndsTheSessionAndNothingAfterItIsSent(String exit, Vertx vertx, VertxTestContext ctx) {
    RecordingServer server = new RecordingServer(Framing.RAW, "Daten erfolgreich empfangen!");
    server.start(vertx)
      .compose(port -> ClientRun.script(vertx, ClientTestServers.client(port, Framing.RAW), "vorher\n" + exit + "\nnachher\n"))
      .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
        assertEquals(replies(1), result.out());
        assertEquals(ClientExit.OK, result.status());
      })))
      // In raw framing the client shuts its side and waits for the server's close: all it sent has arrived.
      .compose(result -> server.received())
      .onComplete(ctx.succeeding(received -> ctx.verify(() -> {
        assertEquals("vorher", received.toString());
        ctx.completeNow();
      })));
  }

  @ParameterizedTest
  @EnumSource(Framing.class)
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void exitWaitsForTheRepliesOfTheLinesBeforeIt(Framing framing, Vertx vertx,
                                                                        VertxTestContext ctx) {
    ClientTestServers.ackServer(vertx, framing, new JsonObject())
      .compose(server -> ClientRun.script(vertx, ClientTestServers.client(server.port(), framing),
          "1\n2\n3\n4\n5\nEXIT\n6\n")
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertEquals(replies(5), result.out());
          assertEquals(ClientExit.OK, result.status());
          assertEquals(5, server.counters().messages());
          ctx.completeNow();
        }))));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void tenThousandPipelinedLinesAreEachAnsweredInOrder(Vertx vertx, VertxTestContext ctx) {
    Framing framing = Framing.LINE;
    StringBuilder input = new StringBuilder();
    for (int i = 1; i <= 10_000; i++) {
      input.append("Zeile ").append(i).append('\n');
    }
    ClientTestServers.ackServer(vertx, framing, new JsonObject())
      .compose(server -> ClientRun.script(vertx, ClientTestServers.client(server.port(), framing), input.toString())
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertEquals(10_000, result.outLines().size());
          assertEquals(replies(10_000), result.out());
          assertEquals("", result.err());
          assertEquals(ClientExit.OK, result.status());
          assertEquals(10_000, server.counters().messages());
          ctx.completeNow();
        }))));
  }

  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  @ParameterizedTest
  @ValueSource(ints = {1, 4, 7})
  void lineFramingKeepsExactlyTheWindowInFlight(int window, Vertx vertx, VertxTestContext ctx) {
    // The server answers only when `window` lines are unanswered: a client that sent more would show it, one that
    // sent fewer would wait for ever.
    RecordingServer server = new RecordingServer(Framing.LINE, "Daten erfolgreich empfangen!", window);
    int lines = window * 20;
    server.start(vertx)
      .compose(port -> ClientRun.script(vertx,
        ClientTestServers.client(port, Framing.LINE, new JsonObject().put("clientWindow", window)),
        "x\n".repeat(lines)))
      .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
        assertEquals(replies(lines), result.out());
        assertEquals(ClientExit.OK, result.status());
        assertEquals(window, server.mostUnanswered());
        ctx.completeNow();
      })));
  }

  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  @ParameterizedTest
  @EnumSource(Framing.class)
  void nonAsciiTextTravelsAsUtf8BothWays(Framing framing, Vertx vertx, VertxTestContext ctx) {
    String ack = "Empfang bestätigt ✓";
    RecordingServer server = new RecordingServer(framing, ack);
    String line = "Grüße aus Köln, 世界 😀";
    server.start(vertx)
      .compose(port -> ClientRun.script(vertx,
        ClientTestServers.client(port, framing, new JsonObject().put("ack", ack)), line + "\n"))
      .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
        assertEquals("Serverantwort: " + ack + "\n", result.out());
        assertEquals("", result.err());
        assertEquals(ClientExit.OK, result.status());
      })))
      .compose(result -> server.received())
      .onComplete(ctx.succeeding(received -> ctx.verify(() -> {
        assertEquals(framing == Framing.LINE ? line + "\n" : line, received.toString("UTF-8"));
        ctx.completeNow();
      })));
  }

  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  @ParameterizedTest
  @EnumSource(Framing.class)
  void windowsLineEndingsAreNotSentAsPartOfTheLine(Framing framing, Vertx vertx, VertxTestContext ctx) {
    RecordingServer server = new RecordingServer(framing, "Daten erfolgreich empfangen!");
    server.start(vertx)
      .compose(port -> ClientRun.script(vertx, ClientTestServers.client(port, framing), "a\r\nb\r\n"))
      .onComplete(ctx.succeeding(result -> ctx.verify(() -> assertEquals(replies(2), result.out()))))
      .compose(result -> server.received())
      .onComplete(ctx.succeeding(received -> ctx.verify(() -> {
        assertEquals(framing == Framing.LINE ? "a\nb\n" : "ab", received.toString());
        ctx.completeNow();
      })));
  }

  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  @ParameterizedTest
  @EnumSource(Framing.class)
  void emptyLinesAreSentInLineFramingAndSkippedWithANoteInRaw(Framing framing, Vertx vertx, VertxTestContext ctx) {
    ClientTestServers.ackServer(vertx, framing, new JsonObject())
      .compose(server -> ClientRun.script(vertx, ClientTestServers.client(server.port(), framing), "a\n\nb\n")
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertEquals(ClientExit.OK, result.status());
          if (framing == Framing.LINE) {
            assertEquals(replies(3), result.out());
            assertEquals("", result.err());
            assertEquals(3, server.counters().messages());
          } else {
            assertEquals(replies(2), result.out());
            assertEquals("Hinweis: Zeile 2 ist leer und wurde nicht gesendet "
              + "(raw-Framing kann keine leere Nachricht übertragen)\n", result.err());
            assertEquals(2, server.counters().messages());
          }
          ctx.completeNow();
        }))));
  }

  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  @ParameterizedTest
  @ValueSource(ints = {StdinReader.RAW_MAX_LINE_BYTES, StdinReader.RAW_MAX_LINE_BYTES + 1})
  void rawFramingSendsLinesUpToItsLimitAndRefusesLongerOnes(int length, Vertx vertx, VertxTestContext ctx) {
    ClientTestServers.ackServer(vertx, Framing.RAW, new JsonObject())
      .compose(server -> ClientRun.script(vertx, ClientTestServers.client(server.port(), Framing.RAW),
          "kurz\n" + "x".repeat(length) + "\ndanach\n")
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          if (length <= StdinReader.RAW_MAX_LINE_BYTES) {
            assertEquals(replies(3), result.out());
            assertEquals(ClientExit.OK, result.status());
          } else {
            // The lines before it are answered; it and the lines after it are not sent.
            assertEquals(replies(1), result.out());
            assertEquals(ClientExit.BAD_INPUT, result.status());
            assertEquals("Fehler: Zeile 2 ist länger als 1024 Bytes und wurde nicht gesendet (in raw-Framing "
              + "höchstens 1024 Bytes pro Zeile, weil der Server jedes gelesene Stück bestätigt; für längere "
              + "Zeilen framing=line verwenden)\n", result.err());
            assertEquals(1, server.counters().messages());
          }
          ctx.completeNow();
        }))));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void lineFramingSendsLongLinesWhole(Vertx vertx, VertxTestContext ctx) {
    int length = 100_000;
    JsonObject limit = new JsonObject().put("maxLineBytes", length);
    ClientTestServers.ackServer(vertx, Framing.LINE, limit)
      .compose(server -> ClientRun.script(vertx, ClientTestServers.client(server.port(), Framing.LINE, limit),
          "x".repeat(length) + "\n" + "y".repeat(length) + "\n")
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertEquals(replies(2), result.out());
          assertEquals(ClientExit.OK, result.status());
          assertEquals(2, server.counters().messages());
          ctx.completeNow();
        }))));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aLineOverTheClientsMaxLineBytesIsNotSent(Vertx vertx, VertxTestContext ctx) {
    int length = 101;
    ClientTestServers.ackServer(vertx, Framing.LINE, new JsonObject())
      .compose(server -> ClientRun.script(vertx,
          ClientTestServers.client(server.port(), Framing.LINE, new JsonObject().put("maxLineBytes", 100)),
          "a\nb\n" + "x".repeat(length) + "\nc\n")
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertEquals(replies(2), result.out());
          assertEquals(ClientExit.BAD_INPUT, result.status());
          assertEquals("Fehler: Zeile 3 ist länger als 100 Bytes und wurde nicht gesendet (maxLineBytes = 100)\n",
            result.err());
          assertEquals(2, server.counters().messages());
          ctx.completeNow();
        }))));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aLineTheServerRefusesIsReportedWithItsErrorAndTheCounts(Vertx vertx, VertxTestContext ctx) {
    int length = 200;
    // The server allows less than the client: its ERROR line ends the session.
    ClientTestServers.ackServer(vertx, Framing.LINE, new JsonObject().put("maxLineBytes", 100))
      .compose(server -> ClientRun.script(vertx, ClientTestServers.client(server.port(), Framing.LINE),
          "a\n" + "x".repeat(length) + "\nc\n")
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertEquals(replies(1), result.out());
          assertEquals(ClientExit.SERVER_ERROR, result.status());
          assertEquals("Fehler: der Server hat Zeile 2 abgelehnt: ERROR line too long: the limit is 100 bytes "
            + "(Zeilen gesendet: 3, bestätigt: 1)\n", result.err());
          ctx.completeNow();
        }))));
  }

  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  @ParameterizedTest
  @EnumSource(Framing.class)
  void invalidUtf8InTheInputIsSentAsItIs(Framing framing, Vertx vertx, VertxTestContext ctx) {
    RecordingServer server = new RecordingServer(framing, "Daten erfolgreich empfangen!");
    byte[] input = {(byte) 0xC3, (byte) 0x28, 0, (byte) 0xFF, '\n'};
    server.start(vertx)
      .compose(port -> ClientRun.run(vertx, ClientTestServers.client(port, framing),
        new ByteArrayInputStream(input), false))
      .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
        assertEquals(replies(1), result.out());
        assertTrue(result.err().isEmpty(), result.err());
      })))
      .compose(result -> server.received())
      .onComplete(ctx.succeeding(received -> ctx.verify(() -> {
        byte[] expected = framing == Framing.LINE ? input : Arrays.copyOf(input, input.length - 1);
        assertEquals(Buffer.buffer(expected), received);
        ctx.completeNow();
      })));
  }
}
