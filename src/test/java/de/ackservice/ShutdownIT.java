package de.ackservice;

import de.ackservice.support.Acks;
import de.ackservice.support.BlockingClient;
import de.ackservice.support.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** SIGTERM to the packaged server: it drains, loses no acknowledgement and exits 0. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShutdownIT {

  @Test
  void sigtermStopsAcceptingServesConnectedClientsAndExitsZeroOnceTheyAreGone() throws Exception {
    // Small enough to sit in the kernel's buffers while the client is not reading (the test sends before it reads).
    int before = 4_000;
    Map<String, String> env = Map.of("ACK_FRAMING", "line", "ACK_SHUTDOWN_GRACE_MS", "100000");
    try (JarProcess server = JarProcess.startServer(List.of("-conf", "conf/config.json"), env);
         BlockingClient client = new BlockingClient(server.port())) {
      int port = server.port();
      // The first ack proves the server accepted the connection: one still in the kernel's accept queue when
      // the signal arrives is reset, not served (see README, Graceful shutdown).
      assertThat(client.send("erste\n").read(Acks.LINE.length)).isEqualTo(Acks.LINE);
      client.send("zeile\n".repeat(before - 1));
      server.sigterm();
      server.awaitLine(Pattern.compile("SIGTERM received"));

      assertThat(BlockingClient.refusedWithinAttempts(port, 2_000)).as("no new connections once draining").isTrue();
      client.send("während des Drainens\n");
      byte[] answer = client.finishAndReadAll();
      assertThat(answer).as("every line received gets its acknowledgement").isEqualTo(Acks.lines(before));

      // The client is gone: the process exits now, long before the 100 s grace period.
      assertThat(server.awaitExit(60, TimeUnit.SECONDS)).isZero();
      assertThat(server.output()).contains("shutdown complete");
    }
  }

  @Test
  void sigtermWithoutClientsExitsZero() throws Exception {
    try (JarProcess server = JarProcess.startServer(List.of("-conf", "conf/config.json"), Map.of())) {
      server.sigterm();
      assertThat(server.awaitExit(60, TimeUnit.SECONDS)).isZero();
    }
  }
}
