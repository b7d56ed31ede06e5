package de.ackservice.client;

import de.ackservice.config.ClientConfig;
import de.ackservice.config.ConfigException;
import de.ackservice.config.ConfigKey;
import de.ackservice.config.ConfigValues;
import de.ackservice.config.Framing;
import de.ackservice.config.TestConfigs;
import de.ackservice.server.ServerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static de.ackservice.client.ClientRun.replies;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code clientReconnect}: a connection cut mid-stream (a server drained and replaced behind a balancer) costs the
 * piped file nothing: every line gets exactly one reply line, in order. Without the setting, or when no server
 * comes back, the session ends as before, saying which lines went unanswered.
 */
@ExtendWith(VertxExtension.class)
class ClientReconnectTest {

  /**
   * The replacement server runs on a Vert.x of its own, as another process would: on one Vert.x, two servers asked
   * for any free port share one (port 0 becomes Vert.x's shared -1) and would take turns at the connections.
   */
  private final Vertx elsewhere = Vertx.vertx();

  @AfterEach
  void closeTheOtherVertx() throws Exception {
    elsewhere.close().await(30, TimeUnit.SECONDS);
  }

  /** An acknowledgement line on the wire in line framing. */
  private static final int ACK_LINE_BYTES = "Daten erfolgreich empfangen!\n".length();
  private static final Pattern RESENT = Pattern.compile("(\\d+) Zeile\\(n\\) ohne Antwort werden erneut gesendet");

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void ourServerReplacedMidStreamLeavesEveryLineAnsweredExactlyOnce(Vertx vertx, VertxTestContext ctx) {
    int lines = 5000;
    ServerState[] servers = new ServerState[2];
    CuttingForwarder[] balancer = new CuttingForwarder[1];
    serversBehindAForwarder(vertx, servers)
      .compose(forwarder -> {
        balancer[0] = forwarder;
        forwarder.cutAfter(1000L * ACK_LINE_BYTES, servers[1].port());
        return ClientRun.script(vertx, reconnecting(forwarder.port()), numbered(lines));
      })
      .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
        assertEquals(replies(lines), result.out(), result.err());
        assertEquals(ClientExit.OK, result.status(), result.err());
        assertEquals(1, balancer[0].cuts());
        assertEquals(2, balancer[0].connections());
        assertTrue(result.err().contains("Versuch 1 von 5 in 10 ms"), result.err());
        int resent = resent(result.err());
        assertTrue(resent > 0, result.err());
        // Every line reached a server; the resent ones may have reached both (at least once).
        long old = servers[0].counters().messages();
        long replacement = servers[1].counters().messages();
        assertTrue(old < lines && replacement > 0, "old " + old + ", replacement " + replacement);
        assertTrue(old + replacement >= lines && old + replacement <= lines + resent,
          "old " + old + " + replacement " + replacement + " for " + lines + " lines, " + resent + " resent");
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void repliesStayInInputOrderAcrossTheCut(Vertx vertx, VertxTestContext ctx) {
    // Servers that answer each line with the line itself make the order visible on stdout.
    int lines = 3000;
    NetServer[] echo = new NetServer[2];
    CuttingForwarder[] balancer = new CuttingForwarder[1];
    Future.all(echoServer(vertx), echoServer(vertx))
      .compose(both -> {
        echo[0] = both.resultAt(0);
        echo[1] = both.resultAt(1);
        return CuttingForwarder.start(vertx, echo[0].actualPort());
      })
      .compose(forwarder -> {
        balancer[0] = forwarder;
        forwarder.cutAfter(700L * "Zeile 1000\n".length(), echo[1].actualPort());
        return ClientRun.script(vertx, reconnecting(forwarder.port()), numbered(lines));
      })
      .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
        String expected = IntStream.rangeClosed(1, lines).mapToObj(i -> "Serverantwort: Zeile " + i + "\n")
          .collect(Collectors.joining());
        assertEquals(expected, result.out(), result.err());
        assertEquals(ClientExit.OK, result.status(), result.err());
        assertEquals(1, balancer[0].cuts());
        assertTrue(resent(result.err()) > 0, result.err());
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void whenNoServerComesBackTheAttemptsEndWithStatusThreeAndTheUnansweredLines(Vertx vertx, VertxTestContext ctx) {
    ServerState[] server = new ServerState[1];
    ClientTestServers.ackServer(vertx, Framing.LINE, new JsonObject())
      .compose(started -> {
        server[0] = started;
        return CuttingForwarder.start(vertx, started.port());
      })
      .compose(forwarder -> {
        forwarder.cutAfter(500L * ACK_LINE_BYTES, CuttingForwarder.STOP);
        ClientConfig config = ClientTestServers.client(forwarder.port(), Framing.LINE, new JsonObject()
          .put("clientReconnect", true).put("clientReconnectAttempts", 3).put("clientReconnectBackoffMs", 10)
          .put("clientReconnectMaxBackoffMs", 20));
        return ClientRun.script(vertx, config, numbered(2000));
      })
      .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
        assertEquals(ClientExit.CONNECTION_LOST, result.status(), result.err());
        int answered = result.outLines().size();
        assertEquals(replies(answered), result.out());
        assertTrue(answered < 500, "answered " + answered);
        String err = result.err();
        assertTrue(err.contains("Versuch 1 von 3 in 10 ms"), err);
        assertTrue(err.contains("Versuch 2 von 3 in 20 ms"), err);
        assertTrue(err.contains("Versuch 3 von 3 in 20 ms"), err);
        assertTrue(err.contains("Versuch 2 fehlgeschlagen: Connection refused"), err);
        assertFalse(err.contains("wieder verbunden"), err);
        assertTrue(err.contains("Fehler: die Verbindung zum Server ist verloren und nach 3 Versuch(en) nicht "
          + "wiederhergestellt: Versuch 3 fehlgeschlagen: Connection refused"), err);
        assertTrue(err.contains("bestätigt: " + answered + ")"), err);
        assertTrue(err.contains("ohne Antwort: Zeile " + (answered + 1) + " bis "), err);
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void offByDefaultALostConnectionEndsTheSessionAsBefore(Vertx vertx, VertxTestContext ctx) {
    assertFalse(TestConfigs.client(new JsonObject()).reconnect().enabled());
    ServerState[] servers = new ServerState[2];
    serversBehindAForwarder(vertx, servers)
      .compose(forwarder -> {
        forwarder.cutAfter(500L * ACK_LINE_BYTES, servers[1].port());
        return ClientRun.script(vertx, ClientTestServers.client(forwarder.port(), Framing.LINE), numbered(2000));
      })
      .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
        assertEquals(ClientExit.CONNECTION_LOST, result.status(), result.err());
        int answered = result.outLines().size();
        assertTrue(answered < 500, "answered " + answered);
        assertTrue(result.err().startsWith("Fehler: der Server hat die Verbindung beendet (Zeilen gesendet: "),
          result.err());
        assertFalse(result.err().contains("Versuch"), result.err());
        assertEquals(0, servers[1].counters().messages());
        ctx.completeNow();
      })));
  }

  @Test
  void reconnectingNeedsLineFraming() {
    ConfigException error = assertThrows(ConfigException.class, () -> TestConfigs.client(new JsonObject()
      .put("framing", "raw").put("clientReconnect", true)));
    assertTrue(error.getMessage().contains("clientReconnect = 'true'"), error.getMessage());
    assertTrue(error.getMessage().contains("needs framing = line"), error.getMessage());
  }

  @Test
  void theCommandLineFlagBeatsEveryLayerAndItsErrorSaysWhereItCameFrom() {
    ConfigValues off = new ConfigValues(new JsonObject().put("framing", "line").put("clientReconnect", false)
      .put("ACK_CLIENT_RECONNECT", "false").put("ack.clientReconnect", "false"));
    assertTrue(ClientConfig.from(off.withCommandLine(ConfigKey.CLIENT_RECONNECT, true)).reconnect().enabled());
    ConfigException error = assertThrows(ConfigException.class, () -> ClientConfig.from(
      new ConfigValues(new JsonObject()).withCommandLine(ConfigKey.CLIENT_RECONNECT, true)));
    assertTrue(error.getMessage().contains("clientReconnect = 'true' (from the command line) needs framing = line"),
      error.getMessage());
  }

  @Test
  void thePauseDoublesUpToItsCap() {
    ClientConfig.Reconnect reconnect = TestConfigs.client(new JsonObject().put("framing", "line")
      .put("clientReconnect", true).put("clientReconnectBackoffMs", 100).put("clientReconnectMaxBackoffMs", 1000))
      .reconnect();
    assertEquals(100, reconnect.pauseMs(1));
    assertEquals(200, reconnect.pauseMs(2));
    assertEquals(800, reconnect.pauseMs(4));
    assertEquals(1000, reconnect.pauseMs(5));
    assertEquals(1000, reconnect.pauseMs(1000));
  }

  private static ClientConfig reconnecting(int port) {
    return ClientTestServers.client(port, Framing.LINE, new JsonObject().put("clientReconnect", true)
      .put("clientReconnectAttempts", 5).put("clientReconnectBackoffMs", 10));
  }

  private static String numbered(int lines) {
    return IntStream.rangeClosed(1, lines).mapToObj(i -> "Zeile " + i + "\n").collect(Collectors.joining());
  }

  private static int resent(String err) {
    Matcher matcher = RESENT.matcher(err);
    assertTrue(matcher.find(), err);
    return Integer.parseInt(matcher.group(1));
  }

  private static Future<NetServer> echoServer(Vertx vertx) {
    return vertx.createNetServer()
      .connectHandler(socket -> RecordParser.newDelimited("\n", socket)
        .handler(line -> socket.write(line.copy().appendString("\n"))))
      .listen(0, "127.0.0.1");
  }

  /**
   * Our line server on the test's Vert.x and another on {@code elsewhere} (written into {@code servers}), and a
   * forwarder in front of the first, which a test cuts over to the second.
   */
  private Future<CuttingForwarder> serversBehindAForwarder(Vertx vertx, ServerState[] servers) {
    return Future.all(ClientTestServers.ackServer(vertx, Framing.LINE, new JsonObject()),
        ClientTestServers.ackServer(elsewhere, Framing.LINE, new JsonObject()))
      .compose(both -> {
        servers[0] = both.resultAt(0);
        servers[1] = both.resultAt(1);
        return CuttingForwarder.start(vertx, servers[0].port());
      });
  }
}
