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
 * and the client connected before is still served. The second test goes there and back with real connection load in
 * a 64 MiB heap. (The hysteresis itself, with given readings, is MemoryPressureTest.)
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

  /**
   * A 64 MiB heap and a fraction that idle connections cross: connections are opened (each served once, about 7 KB of
   * live heap each) in batches, with a full GC after each, until the server refuses; then a newcomer is refused and
   * readiness is 503 while the connected clients are served. They leave, a GC later the heap is under the lower
   * threshold: readiness 200 and new connections served again.
   */
  @Test
  void connectionLoadCrossesTheFractionAndLeavingBringsAdmissionBack() throws Exception {
    List<BlockingClient> load = new java.util.ArrayList<>();
    try (JarProcess server = JarProcess.startServer(
      List.of("-Xms64m", "-Xmx64m", "-XX:+UseSerialGC", "-XX:MaxDirectMemorySize=1g"),
      List.of("-conf", "conf/config.json"), Map.of("ACK_OVERLOAD_MEMORY_FRACTION", "0.5", "ACK_INSTANCES", "1"))) {
      int port = server.port();
      int management = server.managementPort();
      fullGc(server);
      double idle = metrics(management).value("ack_memory_heap_after_gc_ratio");
      assertThat(idle).as("the service alone is well under the resume threshold (0.47)").isLessThan(0.40);
      assertThat(Http.get(management, "/health/ready").status()).isEqualTo(200);

      // Batches of 500 up to 8,000 connections (about 56 MB of heap at 7 KB each: over 0.5 of 64 MiB well before).
      boolean refusing = false;
      for (int batch = 0; batch < 16 && !refusing; batch++) {
        for (int i = 0; i < 500; i++) {
          BlockingClient client = new BlockingClient(port);
          load.add(client);
          assertThat(client.send("x").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
        }
        fullGc(server);
        refusing = metrics(management).value("ack_memory_pressure") == 1;
      }
      assertThat(refusing).as("%s connections crossed the fraction", load.size()).isTrue();
      System.out.printf("memory pressure after %d connections: heap after GC %.2f of 64 MiB%n", load.size(),
        metrics(management).value("ack_memory_heap_after_gc_ratio"));

      assertThat(Http.get(management, "/health/ready").status()).isEqualTo(503);
      try (BlockingClient refused = new BlockingClient(port)) {
        assertThat(refused.send("hallo").readToEnd()).as("closed at once, unanswered").isEmpty();
      }
      assertThat(load.get(0).send("noch da").read(Acks.RAW.length)).as("established: served").isEqualTo(Acks.RAW);

      for (BlockingClient client : load) {
        client.close();
      }
      load.clear();
      PrometheusText after = null;
      for (int attempt = 0; attempt < 20; attempt++) {
        fullGc(server);
        after = metrics(management);
        if (after.value("ack_connections_open") == 0 && after.value("ack_memory_pressure") == 0) {
          break;
        }
      }
      assertThat(after.value("ack_memory_pressure")).as("under 0.94 x 0.5 again: %s", server.output()).isZero();
      server.awaitLine(Pattern.compile("memory pressure over: admitting new connections"));
      assertThat(Http.get(management, "/health/ready").status()).isEqualTo(200);
      try (BlockingClient again = new BlockingClient(port)) {
        assertThat(again.send("hallo").read(Acks.RAW.length)).as("admitted again").isEqualTo(Acks.RAW);
      }
      assertThat(metrics(management).value("ack_connections_memory_rejected_total")).isEqualTo(1);
    } finally {
      for (BlockingClient client : load) {
        client.close();
      }
    }
  }

  private static PrometheusText metrics(int management) throws Exception {
    return PrometheusText.parse(Http.get(management, "/metrics").body());
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
