package de.ackservice.server;

import de.ackservice.support.Acks;
import de.ackservice.support.BlockingClient;
import de.ackservice.support.HaProxy;
import de.ackservice.support.Http;
import de.ackservice.support.JarProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PROXY protocol from a real sender: Debian's HAProxy in TCP mode with {@code send-proxy} (v1, text) and
 * {@code send-proxy-v2} (binary) in front of the packaged server with {@code proxyProtocol} on. The server must
 * log the client's own address and port (the client's socket, not HAProxy's), and a connection straight to the
 * server without a header must be closed unserved, counted in {@code ack_handshake_failures_total{stage="proxy"}}
 * and logged.
 */
class ProxyProtocolFromHaProxyIT {

  private static final Pattern MANAGEMENT = Pattern.compile("management endpoint listening on \\S+:(\\d+) ");
  private static final Pattern PROXY_FAILURES = Pattern.compile(
    "(?m)^ack_handshake_failures_total\\{reason=\"bad header\",stage=\"proxy\"} (\\S+)$");

  private static JarProcess server;
  private static int managementPort;

  @BeforeAll
  static void startTheServer() throws Exception {
    server = JarProcess.startServer(List.of(), Map.of("ACK_PROXY_PROTOCOL", "true"));
    managementPort = Integer.parseInt(server.awaitLine(MANAGEMENT).group(1));
  }

  @AfterAll
  static void stopTheServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"send-proxy", "send-proxy-v2"})
  void theServerLogsTheClientsOwnAddressAndPort(String sendProxy) throws Exception {
    String config = "frontend ack\n"
      + "  bind %BIND%\n"
      + "  default_backend server\n"
      + "backend server\n"
      + "  server ack 127.0.0.1:" + server.port() + " " + sendProxy + "\n";
    try (HaProxy haproxy = HaProxy.start(config);
         BlockingClient client = new BlockingClient(haproxy.port())) {
      int clientPort = client.socket().getLocalPort();
      client.send("through HAProxy with " + sendProxy);
      assertArrayEquals(Acks.RAW, client.read(Acks.RAW.length));

      Matcher opened = server.awaitLine(Pattern.compile("connection opened remote=(\\S+):" + clientPort + "\\b"));
      assertEquals("127.0.0.1", opened.group(1), "the client's address, as HAProxy saw it");
    }
  }

  /** First bytes that cannot start a PROXY header (here an HTTP request): refused at once, counted and logged. */
  @Test
  void aDirectConnectionWithoutHeaderIsClosedUnservedCountedAndLogged() throws Exception {
    double before = proxyFailures();
    int localPort;
    try (BlockingClient direct = new BlockingClient(server.port())) {
      localPort = direct.socket().getLocalPort();
      direct.send("GET / HTTP/1.1\r\nHost: ack\r\n\r\n");
      byte[] answer = direct.readToEnd();

      assertEquals(0, answer.length, "closed without an acknowledgement");
    }
    server.awaitLine(Pattern.compile("connection refused remote=127\\.0\\.0\\.1:" + localPort + " stage=proxy reason="));
    // Counted before it is logged (SetupFailures), so the line above means the counter is up.
    assertEquals(before + 1, proxyFailures(), "ack_handshake_failures_total{stage=\"proxy\"}");
  }

  /**
   * A client speaking our protocol straight to the port: its first bytes cannot begin a header (v1 starts
   * {@code PROXY }), so it is closed as they arrive, unserved, counted and logged with its address (the PROXY header
   * gate), not held for the header timeout.
   */
  @Test
  void aDirectAckClientIsClosedAtOnceUnservedCountedAndLogged() throws Exception {
    double before = proxyFailures();
    int localPort;
    try (BlockingClient direct = new BlockingClient(server.port())) {
      localPort = direct.socket().getLocalPort();
      direct.send("a message without any header\n");
      byte[] answer = direct.readToEnd();

      assertEquals(0, answer.length, "closed without an acknowledgement");
    }
    server.awaitLine(Pattern.compile("connection refused remote=127\\.0\\.0\\.1:" + localPort
      + " stage=proxy reason=\"?bad header"));
    assertEquals(before + 1, proxyFailures(), "ack_handshake_failures_total{stage=\"proxy\"}");
  }

  private static double proxyFailures() throws Exception {
    Matcher m = PROXY_FAILURES.matcher(Http.get(managementPort, "/metrics").body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
