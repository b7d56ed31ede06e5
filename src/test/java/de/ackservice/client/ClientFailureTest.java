package de.ackservice.client;

import de.ackservice.config.Framing;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static de.ackservice.client.ClientRun.replies;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Everything that can go wrong ends with a clear message on stderr and a non-zero status, and loses no reply. */
@ExtendWith(VertxExtension.class)
class ClientFailureTest {

  private static final String ACK = "Daten erfolgreich empfangen!";

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeSockets() throws Exception {
    for (AutoCloseable closeable : toClose) {
      closeable.close();
    }
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void anUnreachableServerIsReportedLikeTheSeedDoes(Vertx vertx, VertxTestContext ctx) throws IOException {
    int closedPort;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = free.getLocalPort();
    }
    ClientRun.script(vertx, ClientTestServers.client(closedPort, Framing.RAW), "hallo\n")
      .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
        assertEquals("", result.out());
        assertTrue(result.err().startsWith("Fehler bei der Verbindung zum Server: "), result.err());
        assertTrue(result.err().contains("Connection refused"), result.err());
        assertTrue(result.err().contains(":" + closedPort), result.err());
        assertEquals(ClientExit.CANNOT_CONNECT, result.status());
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aServerThatNeverAcceptsTimesOutAfterConnectTimeoutMs(Vertx vertx, VertxTestContext ctx) throws IOException {
    // A listening socket whose accept queue is full drops further connection attempts unanswered.
    ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    toClose.add(full);
    fillAcceptQueue(full);
    ClientRun.script(vertx,
        ClientTestServers.client(full.getLocalPort(), Framing.RAW, new JsonObject().put("connectTimeoutMs", 300)),
        "hallo\n")
      .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
        assertEquals("", result.out());
        assertTrue(result.err().startsWith("Fehler bei der Verbindung zum Server: connection timed out after 300 ms"),
          result.err());
        assertEquals(ClientExit.CANNOT_CONNECT, result.status());
        ctx.completeNow();
      })));
  }

  @ParameterizedTest
  @EnumSource(Framing.class)
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aServerThatDoesNotAnswerTimesOutAfterReplyTimeoutMs(Framing framing, Vertx vertx, VertxTestContext ctx) {
    // Answers the first two lines, then reads on and says nothing.
    int[] lines = new int[1];
    ClientTestServers.listen(vertx, socket -> socket.handler(chunk -> {
        for (int i = 0; i < chunk.length(); i++) {
          if (framing == Framing.RAW || chunk.getByte(i) == '\n') {
            if (++lines[0] <= 2) {
              socket.write(framing == Framing.RAW ? ACK : ACK + "\n");
            }
            if (framing == Framing.RAW) {
              break;
            }
          }
        }
      }))
      .compose(server -> ClientRun.script(vertx,
        ClientTestServers.client(server.actualPort(), framing, new JsonObject().put("replyTimeoutMs", 300)),
        "1\n2\n3\n4\n"))
      .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
        assertEquals(replies(2), result.out());
        int sent = framing == Framing.RAW ? 3 : 4;
        assertEquals("Fehler: keine Antwort vom Server innerhalb von 300 ms (Zeilen gesendet: " + sent
          + ", bestätigt: 2)\n", result.err());
        assertEquals(ClientExit.NO_REPLY, result.status());
        ctx.completeNow();
      })));
  }

  @ParameterizedTest
  @EnumSource(Framing.class)
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aServerClosingMidSessionIsReportedWithTheCounts(Framing framing, Vertx vertx, VertxTestContext ctx) {
    // Answers two lines and closes when the third arrives.
    int[] lines = new int[1];
    ClientTestServers.listen(vertx, socket -> socket.handler(chunk -> {
        Buffer answers = Buffer.buffer();
        for (int i = 0; i < chunk.length(); i++) {
          if (framing == Framing.RAW || chunk.getByte(i) == '\n') {
            if (++lines[0] > 2) {
              socket.write(answers);
              socket.close();
              return;
            }
            answers.appendString(framing == Framing.RAW ? ACK : ACK + "\n");
            if (framing == Framing.RAW) {
              break;
            }
          }
        }
        socket.write(answers);
      }))
      .compose(server -> ClientRun.script(vertx, ClientTestServers.client(server.actualPort(), framing),
        "1\n2\n3\n4\n5\n"))
      .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
        assertEquals(replies(2), result.out());
        // Raw framing sends one line at a time; line framing all five at once (they fit the window).
        int sent = framing == Framing.RAW ? 3 : 5;
        assertEquals("Fehler: der Server hat die Verbindung beendet (Zeilen gesendet: " + sent + ", bestätigt: 2)\n",
          result.err());
        assertEquals(ClientExit.CONNECTION_LOST, result.status());
        ctx.completeNow();
      })));
  }

  @ParameterizedTest
  @EnumSource(Framing.class)
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aServerClosingWhileTheUserIsTypingEndsTheSessionAtOnce(Framing framing, Vertx vertx, VertxTestContext ctx)
    throws IOException {
    // stdin that never delivers a line: a user who has not typed anything yet.
    PipedOutputStream keyboard = new PipedOutputStream();
    PipedInputStream stdin = new PipedInputStream(keyboard);
    toClose.add(keyboard);
    // The server closes once the prompt is on the screen (the user is typing), however slowly the machine gets there.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ClientTestServers.listen(vertx, socket -> closeOncePrompted(vertx, socket, out, 0))
      .compose(server -> ClientRun.run(vertx, ClientTestServers.client(server.actualPort(), framing), stdin, true, out))
      .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
        assertEquals(StdinReader.PROMPT, result.out());
        assertEquals("Fehler: der Server hat die Verbindung beendet (Zeilen gesendet: 0, bestätigt: 0)\n",
          result.err());
        assertEquals(ClientExit.CONNECTION_LOST, result.status());
        ctx.completeNow();
      })));
  }

  /** Closes {@code socket} once {@code out} shows the prompt; checks every 5 ms, at most 3,000 times (15 s). */
  private static void closeOncePrompted(Vertx vertx, NetSocket socket, ByteArrayOutputStream out, int checks) {
    if (out.toString(StandardCharsets.UTF_8).contains(StdinReader.PROMPT) || checks >= 3_000) {
      socket.close();
    } else {
      vertx.setTimer(5, id -> closeOncePrompted(vertx, socket, out, checks + 1));
    }
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aReplyNoLineWaitsForIsAnErrorInLineFraming(Vertx vertx, VertxTestContext ctx) throws IOException {
    PipedOutputStream keyboard = new PipedOutputStream();
    PipedInputStream stdin = new PipedInputStream(keyboard);
    toClose.add(keyboard);
    ClientTestServers.listen(vertx, socket -> socket.write("Willkommen\n"))
      .compose(server -> ClientRun.run(vertx, ClientTestServers.client(server.actualPort(), Framing.LINE), stdin, false))
      .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
        assertEquals("", result.out());
        assertEquals("Fehler: unerwartete Antwort vom Server, obwohl keine Zeile auf Antwort wartete: Willkommen "
          + "(Zeilen gesendet: 0, bestätigt: 0)\n", result.err());
        assertEquals(ClientExit.SERVER_ERROR, result.status());
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aRawReplyShorterThanTheConfiguredAckTimesOutAndSaysWhy(Vertx vertx, VertxTestContext ctx) {
    ClientTestServers.listen(vertx, socket -> socket.handler(chunk -> socket.write("OK")))
      .compose(server -> ClientRun.script(vertx,
        ClientTestServers.client(server.actualPort(), Framing.RAW, new JsonObject().put("replyTimeoutMs", 300)), "a\n"))
      .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
        assertEquals("", result.out());
        assertEquals("Fehler: keine Antwort vom Server innerhalb von 300 ms (Zeilen gesendet: 1, bestätigt: 0); "
          + "2 Bytes einer unvollständigen Antwort erhalten (erwartet: '" + ACK + "', 28 Bytes): stimmt 'ack' bei "
          + "Client und Server überein?\n", result.err());
        assertEquals(ClientExit.NO_REPLY, result.status());
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aLineFramingClientAgainstARawServerTimesOutAndSaysWhy(Vertx vertx, VertxTestContext ctx) {
    ClientTestServers.ackServer(vertx, Framing.RAW, new JsonObject())
      .compose(server -> ClientRun.script(vertx,
        ClientTestServers.client(server.port(), Framing.LINE, new JsonObject().put("replyTimeoutMs", 300)), "a\n"))
      .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
        assertEquals("", result.out());
        assertEquals("Fehler: keine Antwort vom Server innerhalb von 300 ms (Zeilen gesendet: 1, bestätigt: 0); "
          + "28 Bytes ohne Zeilenende erhalten: ist der Server auf framing=line eingestellt?\n", result.err());
        assertEquals(ClientExit.NO_REPLY, result.status());
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void aRawServerThatAcknowledgesALineInPiecesIsCountedNotMisattributed(Vertx vertx, VertxTestContext ctx) {
    // Answers every line twice, as a server does that reads it in two pieces. The second ack of the last line
    // arrives while no line waits; the client counts it and says so, and prints one reply per line.
    ClientTestServers.listen(vertx, socket -> socket.handler(chunk -> socket.write(ACK + ACK)))
      .compose(server -> ClientRun.script(vertx, ClientTestServers.client(server.actualPort(), Framing.RAW), "a\n"))
      .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
        assertEquals(replies(1), result.out());
        assertEquals("Hinweis: der Server hat 1 Bestätigung(en) mehr gesendet als Zeilen: er hat Zeilen in mehreren "
          + "Stücken gelesen und jedes bestätigt (raw-Framing kennt keine Nachrichtengrenzen; framing=line hat "
          + "dieses Problem nicht)\n", result.err());
        assertEquals(ClientExit.OK, result.status());
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void inRawFramingTheClientWaitsForTheServersCloseSoALateAcknowledgementIsCounted(Vertx vertx,
                                                                                  VertxTestContext ctx)
    throws IOException {
    // A plain socket server: answers each read, and once more when the client has shut its side, then closes.
    ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    toClose.add(listening);
    vertx.executeBlocking(() -> {
      try (Socket connection = listening.accept()) {
        byte[] buffer = new byte[1024];
        while (connection.getInputStream().read(buffer) >= 0) {
          connection.getOutputStream().write(ACK.getBytes(StandardCharsets.UTF_8));
        }
        connection.getOutputStream().write(ACK.getBytes(StandardCharsets.UTF_8));
      }
      return null;
    });
    ClientRun.script(vertx, ClientTestServers.client(listening.getLocalPort(), Framing.RAW), "a\n")
      .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
        assertEquals(replies(1), result.out());
        assertTrue(result.err().startsWith("Hinweis: der Server hat 1 Bestätigung(en) mehr gesendet als Zeilen"),
          result.err());
        assertEquals(ClientExit.OK, result.status());
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void anEndlessInputIsReadNoFasterThanTheServerAnswers(Vertx vertx, VertxTestContext ctx) {
    // The server reads and never answers; stdin never ends. The client must stop reading once its window and
    // read-ahead are full, instead of buffering the input: by the time the reply timeout ends it, it has read
    // a few buffers' worth, not the hundreds of megabytes an unbounded reader would have swallowed.
    EndlessLines stdin = new EndlessLines();
    ClientTestServers.listen(vertx, socket -> socket.handler(chunk -> { }))
      .compose(server -> ClientRun.run(vertx, ClientTestServers.client(server.actualPort(), Framing.LINE,
        new JsonObject().put("replyTimeoutMs", 500)), stdin, false))
      .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
        assertEquals("Fehler: keine Antwort vom Server innerhalb von 500 ms (Zeilen gesendet: 256, bestätigt: 0)\n",
          result.err());
        assertTrue(stdin.bytesRead() <= 2 * 64 * 1024, stdin.bytesRead() + " bytes read");
        ctx.completeNow();
      })));
  }

  /** Connects until an attempt is not answered within 200 ms: then the queue is full. Bounded to 16 attempts. */
  private void fillAcceptQueue(ServerSocket listening) throws IOException {
    for (int attempt = 0; attempt < 16; attempt++) {
      Socket filler = new Socket();
      try {
        filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listening.getLocalPort()), 200);
        toClose.add(filler);
      } catch (SocketTimeoutException full) {
        filler.close();
        return;
      }
    }
    throw new IllegalStateException("the accept queue of a backlog-1 socket did not fill within 16 connections");
  }

  /** "x\n" for ever, counting what was read. */
  private static final class EndlessLines extends java.io.InputStream {

    private final java.util.concurrent.atomic.AtomicLong read = new java.util.concurrent.atomic.AtomicLong();

    @Override
    public int read() {
      return read.getAndIncrement() % 2 == 0 ? 'x' : '\n';
    }

    @Override
    public int read(byte[] into, int offset, int length) {
      for (int i = 0; i < length; i++) {
        into[offset + i] = (byte) read();
      }
      return length;
    }

    long bytesRead() {
      return read.get();
    }
  }
}
