package de.ackservice.overload;

import de.ackservice.support.Acks;
import de.ackservice.support.BlockingClient;
import de.ackservice.support.Http;
import de.ackservice.support.JarProcess;
import de.ackservice.support.PrometheusText;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar with a low limit of open files (soft and hard): clients connect until the server has no
 * descriptor left to accept with. Then one clear line (no Netty stack trace), established clients still served, no
 * spinning, and once descriptors free up the waiting client is served and one line says accepting works again.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DescriptorExhaustionIT {

  private static final int OPEN_FILES = 128;
  private static final String EXHAUSTED = "cannot accept connections: too many open files (limit " + OPEN_FILES
    + "); established connections are still served";
  private static final String RECOVERED = "accepting connections again";

  /** On each transport: the accept path and its back-off differ between them (io_uring's multishot accept spun). */
  @ParameterizedTest
  @ValueSource(strings = {"io_uring", "epoll", "nio"})
  void runningOutOfDescriptorsIsOneLineAndTheServerRecovers(String transport) throws Exception {
    List<BlockingClient> served = new ArrayList<>();
    try (JarProcess server = JarProcess.startServerWithOpenFileLimit(OPEN_FILES,
      List.of("-conf", "conf/config.json"), Map.of("ACK_TRANSPORT", transport))) {
      assertThat(server.output()).contains("transport=" + transport);
      int port = server.port();
      int managementPort = server.managementPort();
      BlockingClient waiting = null;
      try {
        // Each served client holds one of the server's descriptors; the first one left unanswered is in the
        // listen backlog, waiting for an accept that fails.
        for (int i = 0; i < OPEN_FILES && waiting == null; i++) {
          BlockingClient client = new BlockingClient(port);
          client.send("hallo");
          if (answeredOrExhausted(client, server)) {
            served.add(client);
          } else {
            waiting = client;
          }
        }
        assertThat(waiting).as("the server ran out of descriptors within %s connections", OPEN_FILES).isNotNull();
        assertThat(served).hasSizeGreaterThan(5);

        // While it lasts, established clients are served.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        int pings = 0;
        while (System.nanoTime() < until && pings < 1000) {
          assertThat(served.get(0).send("noch da").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
          assertThat(served.get(served.size() - 1).send("ich auch").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
          pings++;
        }
        // And the process does not spin while a connection waits in the backlog (after a failed accept Netty stops
        // reading the listening socket for a second; with epoll it tries again on the next connection). Measured
        // over an idle window: a failed accept retried in a loop burns a core, 100 ticks a second, while the served
        // pings above also pay for the JIT compiling the server's path, so their CPU says little about spinning.
        JarProcess.IdleCpu idle = server.idleCpu(Duration.ofSeconds(2));
        System.out.printf("%s exhausted: %d pings answered, then %s%n", transport, pings, idle);
        assertThat(idle.noSpin()).as("no spin: %s", idle).isTrue();
        // One line per episode, not one per failed accept. An accept can slip through at the edge (a descriptor the
        // JVM held for a moment is free again), which ends the episode with its own line; the next failed accept
        // starts a new one, or, on epoll, comes only with the next connection.
        assertThat(server.linesContaining(EXHAUSTED)).as("once per 10 s and episode")
          .isBetween(1L, server.linesContaining(RECOVERED) + 1);
        assertThat(server.output()).doesNotContain("reached at the tail of the pipeline").doesNotContain("\tat ");

        // Descriptors free up: the waiting client is accepted and served without reconnecting.
        for (int i = 1; i < served.size(); i++) {
          served.get(i).close();
        }
        long freed = System.nanoTime();
        assertThat(waiting.read(Acks.RAW.length)).isEqualTo(Acks.RAW);
        System.out.printf("waiting client answered %d ms after descriptors were freed%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - freed));
        // Every episode ends with one line saying so.
        server.awaitLinesContaining(RECOVERED, server.linesContaining(EXHAUSTED));
        assertThat(server.linesContaining(RECOVERED)).isEqualTo(server.linesContaining(EXHAUSTED));

        PrometheusText metrics = PrometheusText.parse(Http.get(managementPort, "/metrics").body());
        assertThat(metrics.value("ack_accept_failures_total{reason=\"too many open files\"}"))
          .as("each failed accept counted (Netty pauses accepting 1 s after one)").isGreaterThanOrEqualTo(1);
        assertThat(metrics.value("ack_accept_exhausted")).isZero();
        assertThat(served.get(0).send("immer noch").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
      } finally {
        if (waiting != null) {
          waiting.close();
        }
        for (BlockingClient client : served) {
          client.close();
        }
      }
    }
  }

  /** True when the client got its acknowledgement; false once the server has said it cannot accept. */
  private static boolean answeredOrExhausted(BlockingClient client, JarProcess server) throws Exception {
    client.socket().setSoTimeout(200);
    for (int attempt = 0; attempt < 300; attempt++) {
      try {
        byte[] ack = client.read(Acks.RAW.length);
        assertThat(ack).isEqualTo(Acks.RAW);
        client.socket().setSoTimeout(BlockingClient.TIMEOUT_MS);
        return true;
      } catch (SocketTimeoutException notYet) {
        if (server.linesContaining(EXHAUSTED) > 0) {
          client.socket().setSoTimeout(BlockingClient.TIMEOUT_MS);
          return false;
        }
      }
    }
    throw new AssertionError("neither answered nor exhausted within 60 s:\n" + server.output());
  }
}
