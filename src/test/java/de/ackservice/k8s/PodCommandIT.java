package de.ackservice.k8s;

import de.ackservice.config.ServerConfig;
import de.ackservice.support.Http;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pod's own command, run here: the Deployment's container command with its paths mapped to this machine
 * ({@link LocalPod}: {@code /app/ack-fat.jar} is the jar this build made, {@code /etc/ack/config.json} is the
 * ConfigMap's {@code config.json} written to a folder, i.e. k8s/config.json), as the pod's non-root user when the
 * tests run as root. Two deliberate differences: {@code ACK_PORT=0} and {@code ACK_MANAGEMENT_PORT=0} in the
 * environment, so that the server takes free ports instead of 5000 and 9090 (which may be in use here); the ports
 * are read from the start-up log lines and stand for the container ports everywhere (probes, clients).
 *
 * <p>What the kubelet would do is then done by hand: ask every probe's HTTP path, serve a client, and on SIGTERM
 * (sent while a message is in flight, as the kubelet sends it after the preStop pause) check that every message is
 * acknowledged, readiness turns to 503 while liveness stays 200, the connected client is still served, and the
 * process exits 0 as soon as the client is gone, within the time the grace period leaves after the preStop pause.
 */
@ExtendWith(VertxExtension.class)
class PodCommandIT {

  private static final Pattern LISTENING = Pattern.compile("ack service listening on (\\S+):(\\d+) ");
  private static final Pattern DRAINING = Pattern.compile("SIGTERM received: no longer accepting connections");
  private static final Pattern MANAGEMENT = Pattern.compile("management endpoint listening on (\\S+):(\\d+) ");

  private Path scratch;
  private LocalPod pod;
  private PodProcess process;
  // Kept in a field: in Vert.x 5 an unreachable client may be closed mid-test.
  private NetClient client;

  @BeforeEach
  void layOutThePod() throws IOException {
    scratch = Files.createTempDirectory("ack-pod");
    pod = new LocalPod(K8sManifests.deployment(), Dockerfile.read(), scratch);
  }

  @AfterEach
  void endThePod() throws Exception {
    try {
      if (process != null) {
        process.close();
      }
    } finally {
      pod.restoreWritable();
      try (Stream<Path> files = Files.walk(scratch)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @Test
  @Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
  void thePodsCommandServesAcknowledgementsAndDrainsOnSigterm(Vertx vertx, VertxTestContext ctx) throws Exception {
    Deployment deployment = K8sManifests.deployment();
    Container container = K8sManifests.container(deployment);
    ServerConfig config = K8sManifests.serverConfig();
    byte[] ack = config.ack().getBytes(StandardCharsets.UTF_8);
    assertEquals(28, ack.length, "the seed's acknowledgement is 28 bytes");
    Probe startup = container.getStartupProbe();
    long startupBudgetSeconds = orZero(startup.getInitialDelaySeconds())
      + (long) startup.getFailureThreshold() * startup.getPeriodSeconds();
    long afterPreStopSeconds = K8sManifests.pod(deployment).getTerminationGracePeriodSeconds()
      - GracefulRolloutTest.preStopPauseSeconds(container);
    List<Probe> probes = List.of(startup, container.getReadinessProbe(), container.getLivenessProbe());
    int probeTimeoutMs = probes.stream().mapToInt(p -> p.getTimeoutSeconds() * 1000).min().orElseThrow();

    pod.setEnv("ACK_PORT", "0");
    pod.setEnv("ACK_MANAGEMENT_PORT", "0");
    process = PodProcess.start(pod, vertx);
    client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(probeTimeoutMs));
    long[] sigtermAt = new long[1];
    int[] managementPort = new int[1];
    AckExchange[] exchange = new AckExchange[1];

    process.awaitLine(MANAGEMENT)
      .timeout(startupBudgetSeconds, TimeUnit.SECONDS)
      .compose(management -> {
        managementPort[0] = Integer.parseInt(management.group(2));
        return process.awaitLine(LISTENING).timeout(startupBudgetSeconds, TimeUnit.SECONDS);
      })
      .map(listening -> Integer.parseInt(listening.group(2)))
      .compose(port -> vertx.executeBlocking(process::uid).map(uid -> {
        assertEquals(PodProcess.expectedUid(pod), uid, "the user the pod's process runs as");
        return port;
      }))
      .compose(port -> probeEach(vertx, probes, container, config, managementPort[0], Map.of()).map(port))
      .compose(port -> client.connect(port, "127.0.0.1"))
      .compose(socket -> {
        exchange[0] = new AckExchange(socket, ack);
        return exchange[0].pingPong(3, "before SIGTERM");
      })
      .compose(v -> exchange[0].send("in flight at SIGTERM"))
      .compose(v -> {
        sigtermAt[0] = System.nanoTime();
        process.terminate();
        return exchange[0].awaitAcks();
      })
      .compose(v -> process.awaitLine(DRAINING).timeout(afterPreStopSeconds, TimeUnit.SECONDS))
      // Out of the Service's endpoints at once, but alive: the kubelet must not restart a draining pod.
      .compose(draining -> probeEach(vertx, probes, container, config, managementPort[0],
        Map.of(container.getReadinessProbe(), 503)))
      .compose(draining -> exchange[0].pingPong(3, "during the drain"))
      .compose(v -> exchange[0].close())
      .compose(v -> process.exit().timeout(afterPreStopSeconds, TimeUnit.SECONDS))
      .onComplete(ctx.succeeding(exited -> ctx.verify(() -> {
        long sigtermToExitMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigtermAt[0]);
        String log = process.output();
        assertEquals(0, exited.exitValue(), "exit status after SIGTERM; output:\n" + log);
        assertEquals(7, exchange[0].sent());
        assertArrayEquals(repeated(ack, 7), exchange[0].received(), "exactly one acknowledgement per message");
        // The close line's reason cannot tell here who closed (during a drain the server reports every close as
        // "closed during server shutdown"); the exit time below tells that the server did not wait out the grace.
        assertTrue(process.lines().stream().anyMatch(line -> line.contains(
            "connection closed remote=127.0.0.1:" + exchange[0].localPort() + " ") && line.contains(" messages=7 ")),
          "the server counted the 7 messages of the client's connection:\n" + log);
        assertTrue(log.contains("shutdown complete"), log);
        assertTrue(process.lines().stream().noneMatch(line -> line.contains(" ERROR ")), log);
        assertTrue(sigtermToExitMs < config.shutdownGraceMs(), "exited " + sigtermToExitMs
          + " ms after SIGTERM: it waited out shutdownGraceMs instead of exiting when its last client left");
        ctx.completeNow();
      })));
  }

  /**
   * Asks every probe's path on the management port as the kubelet's httpGet probe does; each must answer 200
   * unless {@code expected} says otherwise for it.
   */
  private static Future<Void> probeEach(Vertx vertx, List<Probe> probes, Container container, ServerConfig config,
                                        int actualManagementPort, Map<Probe, Integer> expected) {
    Future<Void> chain = Future.succeededFuture();
    for (Probe probe : probes) {
      HTTPGetAction get = probe.getHttpGet();
      int target = K8sManifests.resolvePort(get.getPort(), container);
      assertEquals(config.management().port(), target, "probe target vs the configured managementPort");
      int status = expected.getOrDefault(probe, 200);
      chain = chain
        .compose(v -> vertx.executeBlocking(() -> Http.get(actualManagementPort, get.getPath()), false))
        .map(response -> {
          assertEquals(status, response.status(), get.getPath() + " answered " + response);
          return null;
        });
    }
    return chain;
  }

  private static long orZero(Integer value) {
    return value == null ? 0 : value;
  }

  private static byte[] repeated(byte[] bytes, int times) {
    byte[] out = new byte[bytes.length * times];
    for (int i = 0; i < times; i++) {
      System.arraycopy(bytes, 0, out, i * bytes.length, bytes.length);
    }
    return out;
  }
}
