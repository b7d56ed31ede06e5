package de.ackservice.overload;

import de.ackservice.support.Acks;
import de.ackservice.support.BlockingClient;
import de.ackservice.support.Http;
import de.ackservice.support.JarProcess;
import de.ackservice.support.PrometheusText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Memory-pressure admission in the packaged jar with a fixed heap: a young generation big enough that start-up
 * collects nothing, then a full GC forced with the JDK's {@code jcmd} leaves the service's live heap, which is over
 * {@value #FRACTION} of the heap (direct memory is given 1 GiB, so that Netty's first pool chunk stays under it). From then on new connections are refused at once and counted, readiness is 503,
 * and the client connected before is still served. (The way back, with its lower threshold, is MemoryPressureTest.)
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MemoryPressureIT {

  private static final String FRACTION = "0.02";

  @Test
  void overTheFractionNewConnectionsAreRefusedAndReadinessFails() throws Exception {
    try (JarProcess server = JarProcess.startServer(
      List.of("-Xms128m", "-Xmx128m", "-Xmn100m", "-XX:+UseSerialGC", "-XX:MaxDirectMemorySize=1g"),
      List.of("-conf", "conf/config.json"), Map.of("ACK_OVERLOAD_MEMORY_FRACTION", FRACTION));
         BlockingClient before = new BlockingClient(server.port())) {
      int management = server.managementPort();
      assertThat(Http.get(management, "/health/ready").status()).as("no GC yet: admitting; %s", server.output())
        .isEqualTo(200);
      assertThat(before.send("hallo").read(Acks.RAW.length)).isEqualTo(Acks.RAW);

      fullGc(server);
      server.awaitLine(Pattern.compile("memory pressure: refusing new connections"));
      assertThat(Http.get(management, "/health/ready").status()).isEqualTo(503);

      try (BlockingClient refused = new BlockingClient(server.port())) {
        assertThat(refused.send("hallo").readToEnd()).as("closed at once, unanswered").isEmpty();
      }
      assertThat(before.send("noch da").read(Acks.RAW.length)).as("established: still served").isEqualTo(Acks.RAW);
      server.awaitLine(Pattern.compile("connection rejected .*reason=\"?rejected: memory pressure"));

      PrometheusText metrics = PrometheusText.parse(Http.get(management, "/metrics").body());
      assertThat(metrics.value("ack_connections_memory_rejected_total")).isEqualTo(1);
      assertThat(metrics.value("ack_memory_pressure")).isEqualTo(1);
      assertThat(metrics.value("ack_memory_heap_after_gc_ratio")).isGreaterThan(Double.parseDouble(FRACTION));
      assertThat(metrics.value("ack_ready")).isZero();
      assertThat(server.linesContaining("memory pressure: refusing new connections")).isEqualTo(1);
    }
  }

  private static void fullGc(JarProcess server) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    assertThat(Files.isExecutable(jcmd)).as("the JDK's jcmd at %s", jcmd).isTrue();
    Process gc = new ProcessBuilder(jcmd.toString(), String.valueOf(server.process().pid()), "GC.run")
      .redirectErrorStream(true).start();
    String out = new String(gc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(gc.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(gc.exitValue()).as("jcmd: %s", out).isZero();
  }
}
