package de.ackservice;

import de.ackservice.support.Acks;
import de.ackservice.support.BlockingClient;
import de.ackservice.support.Http;
import de.ackservice.support.JarProcess;
import de.ackservice.support.PrometheusText;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code transport} key against the packaged jar: where io_uring is allowed, {@code auto} takes it; where it is
 * really refused ({@code perf/tools/no-io-uring.c}: a seccomp filter answering the io_uring system calls with EPERM,
 * as container runtimes' default profiles do) {@code auto} falls back to epoll and says why, and an explicit
 * {@code io_uring} stops start-up with exit 78 naming the key. The start-up line and {@code /metrics} name the
 * transport in use, and the server answers on it.
 */
class TransportIT {

  private static final Pattern LISTENING = Pattern.compile("ack service listening on .* transport=(.+)$");
  private static final Pattern MANAGEMENT = Pattern.compile("management endpoint listening on \\S+:(\\d+) ");

  @TempDir
  static Path work;

  private static List<String> noIoUring;

  @BeforeAll
  static void compileTheSeccompWrapper() throws Exception {
    noIoUring = List.of(SeccompWrapper.compile(work).toString());
  }

  @Test
  void autoTakesIoUringWhereTheKernelAllowsIt() throws Exception {
    assertServesOn(List.of(), Map.of("ACK_TRANSPORT", "auto"), "io_uring", "io_uring");
  }

  @Test
  void autoFallsBackToEpollWhereIoUringIsRefusedAndSaysWhy() throws Exception {
    assertServesOn(noIoUring, Map.of("ACK_TRANSPORT", "auto"), "epoll (io_uring refused: Operation not permitted)",
      "epoll");
  }

  @Test
  void theShippedDefaultIsAutoSoIoUringWhereTheKernelAllowsIt() throws Exception {
    assertServesOn(List.of(), Map.of(), "io_uring", "io_uring");
  }

  @Test
  void anExplicitIoUringThatIsRefusedStopsStartUpWithExit78NamingTheKey() throws Exception {
    try (JarProcess server = JarProcess.start(noIoUring, List.of(), List.of("-conf", "conf/config.json"),
      Map.of("ACK_TRANSPORT", "io_uring", "ACK_PORT", "0"))) {
      assertThat(server.awaitExit(60, TimeUnit.SECONDS)).isEqualTo(AckApplication.EXIT_BAD_CONFIG);
      assertThat(server.output())
        .contains("Invalid configuration: transport = 'io_uring' (from environment variable ACK_TRANSPORT) cannot be "
          + "honoured: transport: io_uring is not available here: Operation not permitted")
        .doesNotContain("ack service listening");
    }
  }

  @Test
  void anUnknownTransportStopsTheClientWithExit78NamingTheKey() throws Exception {
    try (JarProcess client = JarProcess.start(List.of(), List.of("-Dack.transport=kqueue"),
      List.of("client", "127.0.0.1", "1"), Map.of())) {
      assertThat(client.awaitExit(60, TimeUnit.SECONDS)).isEqualTo(AckApplication.EXIT_BAD_CONFIG);
      assertThat(client.output()).contains("Invalid configuration: transport = 'kqueue' (from system property "
        + "ack.transport) must be one of: auto, io_uring, epoll, nio");
    }
  }

  private static void assertServesOn(List<String> wrapper, Map<String, String> env, String startUpLine,
                                     String metricsLabel) throws Exception {
    Map<String, String> withPorts = new java.util.HashMap<>(env);
    withPorts.put("ACK_PORT", "0");
    withPorts.put("ACK_HOST", "127.0.0.1");
    try (JarProcess server = JarProcess.start(wrapper, List.of(), List.of("-conf", "conf/config.json"), withPorts)) {
      Matcher listening = server.awaitLine(LISTENING);
      assertThat(listening.group(1)).isEqualTo(startUpLine);
      int management = Integer.parseInt(server.awaitLine(MANAGEMENT).group(1));
      try (BlockingClient client = new BlockingClient(server.port())) {
        assertThat(client.send("hallo").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
      }
      PrometheusText metrics = PrometheusText.parse(Http.get(management, "/metrics").body());
      assertThat(metrics.value("ack_transport_info{transport=\"" + metricsLabel + "\"}")).isEqualTo(1);
      server.sigterm();
      assertThat(server.awaitExit(60, TimeUnit.SECONDS)).isZero();
    }
  }
}
