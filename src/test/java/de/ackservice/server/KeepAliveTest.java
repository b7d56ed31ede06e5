package de.ackservice.server;

import de.ackservice.support.Acks;
import de.ackservice.support.BlockingClient;
import de.ackservice.support.GatedServers;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * tcpKeepAlive reaches the accepted socket, in the kernel's own view: {@code ss -o} shows a keepalive timer counting
 * down from tcpKeepAliveIdleSeconds on the server's end of the connection, with the native epoll transport (as the
 * jar runs) and with NIO. (Interval and count are read back from accepted sockets in KeepAliveTimingTest.)
 * Needs {@code ss} (iproute2): fails, not skips, without it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeepAliveTest {

  private static final Pattern KEEPALIVE_TIMER = Pattern.compile("timer:\\(keepalive,(?:(\\d+)min)?(?:([\\d.]+)sec)?");

  @ParameterizedTest(name = "transport: {0}")
  @ValueSource(strings = {"epoll", "nio"})
  void theKernelRunsAKeepaliveTimerFromTheConfiguredIdleTime(String transport) throws Exception {
    Transport base = transport.equals("epoll") ? Transport.EPOLL : Transport.NIO;
    // Two Vert.x instances: servers on port 0 of one instance share one listening socket, and so its options.
    GatedServers gated = GatedServers.on(base);
    GatedServers plain = GatedServers.on(base);
    try {
      ServerState on = await(gated.start(new JsonObject().put("tcpKeepAlive", true)
        .put("tcpKeepAliveIdleSeconds", 50).put("tcpKeepAliveIntervalSeconds", 7).put("tcpKeepAliveCount", 3)));
      ServerState off = await(plain.start(new JsonObject()));
      try (BlockingClient client = new BlockingClient(on.port());
           BlockingClient control = new BlockingClient(off.port())) {
        // Served: the options are set by then.
        assertThat(client.send("hallo").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
        assertThat(control.send("hallo").read(Acks.RAW.length)).isEqualTo(Acks.RAW);

        String serverSide = ss(on.port(), client.socket().getLocalPort());
        assertThat(keepaliveSeconds(serverSide)).as("counts down from 50 s: %s", serverSide).isBetween(30.0, 50.0);

        // Without the key the socket keeps the kernel's timing (tcp_keepalive_time, 7200 s by default), if any.
        String controlSide = ss(off.port(), control.socket().getLocalPort());
        if (controlSide.contains("keepalive")) {
          assertThat(keepaliveSeconds(controlSide)).as("the kernel's idle time: %s", controlSide).isGreaterThan(600);
        }
      }
    } finally {
      await(gated.close());
      await(plain.close());
    }
  }

  private static double keepaliveSeconds(String ssLine) {
    Matcher timer = KEEPALIVE_TIMER.matcher(ssLine);
    assertThat(timer.find()).as("keepalive timer in: %s", ssLine).isTrue();
    return (timer.group(1) == null ? 0 : 60 * Integer.parseInt(timer.group(1)))
      + (timer.group(2) == null ? 0 : Double.parseDouble(timer.group(2)));
  }

  /** {@code ss -tnoH} for the one connection between the two loopback ports, from the server's end. */
  private static String ss(int serverPort, int clientPort) throws IOException, InterruptedException {
    Process ss = new ProcessBuilder(List.of("ss", "-tnoH", "state", "established",
      "( sport = :" + serverPort + " and dport = :" + clientPort + " )")).redirectErrorStream(true).start();
    String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(ss.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(ss.exitValue()).as("ss: %s", out).isZero();
    assertThat(out).as("the connection is listed").contains(":" + clientPort);
    return out;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
