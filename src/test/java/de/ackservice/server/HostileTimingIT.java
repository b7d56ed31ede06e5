package de.ackservice.server;

import de.ackservice.support.Acks;
import de.ackservice.support.BlockingClient;
import de.ackservice.support.Conditions;
import de.ackservice.support.Http;
import de.ackservice.support.JarProcess;
import de.ackservice.support.PrometheusText;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile timing against the packaged jar, on each transport (their accept, read and close paths differ; io_uring's
 * multishot accept once spun a core, see {@code overload.DescriptorExhaustionIT}): a burst of clients that reset the
 * connection at once, reset it in the middle of a message, half-close after one, or flood without reading and then
 * reset. Afterwards the server serves a well-behaved client, has closed every connection it opened, sits idle (no
 * spinning thread), and has logged no error and no stack trace.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileTimingIT {

  private static final int RESET_AT_ONCE = 1000;
  private static final int RESET_MID_MESSAGE = 500;
  private static final int HALF_CLOSED = 200;
  private static final int FLOODED_THEN_RESET = 10;

  @ParameterizedTest
  @ValueSource(strings = {"io_uring", "epoll", "nio"})
  void aBurstOfAbruptClientsLeavesTheServerServingIdleAndQuiet(String transport, Vertx vertx) throws Exception {
    try (JarProcess server = JarProcess.startServer(List.of("-conf", "conf/config.json"),
      Map.of("ACK_TRANSPORT", transport))) {
      assertThat(server.output()).contains("transport=" + transport);
      int port = server.port();

      for (int i = 0; i < RESET_AT_ONCE; i++) {
        reset(connect(port));
      }
      for (int i = 0; i < RESET_MID_MESSAGE; i++) {
        Socket socket = connect(port);
        socket.getOutputStream().write(new byte[1 + (i * 97) % 5000]);
        reset(socket);
      }
      for (int i = 0; i < HALF_CLOSED; i++) {
        try (Socket socket = connect(port)) {
          socket.getOutputStream().write("hallo".getBytes());
          socket.shutdownOutput();
          assertThat(socket.getInputStream().readAllBytes()).as("the acknowledgement, then the end")
            .isEqualTo(Acks.RAW);
        }
      }
      for (int i = 0; i < FLOODED_THEN_RESET; i++) {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        flood(channel);
        reset(channel.socket());
      }

      try (BlockingClient client = new BlockingClient(port)) {
        assertThat(client.send("noch da").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
      }
      // Resets are noticed by the server asynchronously: the counts are awaited, bounded.
      int managementPort = server.managementPort();
      Conditions.awaitBlocking(vertx, "every connection closed", () -> allClosed(managementPort));

      JarProcess.IdleCpu idle = server.idleCpu(Duration.ofSeconds(2));
      System.out.printf("%s after the burst: %s%n", transport, idle);
      assertThat(idle.noSpin()).as("no spin: %s", idle).isTrue();
      assertThat(server.output()).doesNotContain(" ERROR ").doesNotContain("\tat ");
      // The one warning a burst of resets may cause: Netty's io_uring completion queue overflowed into the kernel's
      // overflow list, which Netty drains (nothing is lost).
      assertThat(server.output().lines().filter(line -> line.contains(" WARN ")))
        .allMatch(line -> line.contains("CompletionQueue overflow detected"));
    }
  }

  private static Socket connect(int port) throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(BlockingClient.TIMEOUT_MS);
    return socket;
  }

  /** Closes with a reset (RST) instead of an orderly end, whatever is unsent or unread. */
  private static void reset(Socket socket) throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  /**
   * Writes without reading, as fast as the socket takes it, until its send buffer is full (a non-blocking write takes
   * nothing) or 128 MiB are out: the server meanwhile stops reading it (backpressure, its acknowledgements unread).
   */
  private static void flood(SocketChannel channel) throws IOException {
    channel.configureBlocking(false);
    ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
    for (int i = 0; i < 2_048; i++) {
      chunk.clear();
      if (channel.write(chunk) == 0) {
        return;
      }
    }
  }

  private static boolean allClosed(int managementPort) {
    try {
      PrometheusText metrics = PrometheusText.parse(Http.get(managementPort, "/metrics").body());
      return metrics.value("ack_connections_open") == 0
        && metrics.value("ack_connections_opened_total") == metrics.value("ack_connections_closed_total");
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
