package de.ackservice.k8s;

import de.ackservice.config.ConfigKey;
import de.ackservice.support.HaProxy;
import de.ackservice.support.Http;
import io.fabric8.kubernetes.api.model.Probe;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rolling update behind a real load balancer, under load. HAProxy in TCP mode stands for the Service: it sends
 * connections to the instances whose {@code /health/ready} (management port) answers 200, with the readiness
 * probe's period and thresholds, as endpoints follow readiness. Two instances of the real image run as the
 * rendered pod ({@link PodContainer}); several {@link PipelinedLineClients} send a steady pipelined line load through
 * HAProxy. Each instance is then replaced as the Deployment's strategy (maxSurge 1, maxUnavailable 0) does it: the
 * new one is started and ready (HAProxy sees it UP) before the old one is terminated with the kubelet's sequence —
 * removed from the endpoints (HAProxy "drain": no new connections), preStop command inside the container, SIGTERM,
 * at most the grace period.
 *
 * <p>Test overrides of the pod's settings, both through its environment: {@code ACK_FRAMING=line} (the load is line
 * framed) and {@code ACK_PROXY_PROTOCOL=true} with HAProxy's {@code send-proxy}, so that each server logs every
 * connection under the client's own port: that is how a client connection is matched with the server that served
 * it. The check: for every connection, the acknowledgements the client read equal the lines the server says it
 * read on it ({@code connection closed ... messages=N}); every connection that ended did so with an orderly close
 * and no partial acknowledgement; each server's {@code /metrics} shows as many acknowledgements as lines received.
 *
 * <p>Alongside them, a file is piped through the service's own client, {@code java -jar ack-fat.jar client
 * --reconnect} ({@link PipedFileClient}), fed slowly enough that it is still in flight during both replacements. Its
 * connection is drained like the others; the client connects again and sends the unanswered lines again. Checked:
 * exactly one reply line per input line (every reply is the same acknowledgement text, so the order of the replies
 * is the client's own guarantee, proven with distinct replies in its unit tests), exit status 0, and each
 * server's log shows that together they read every line of the file at least once.
 */
class RollingUpdateIT {

  private static final String BACKEND = "pods";
  private static final int CLIENTS = 4;
  private static final int WINDOW = 32;
  private static final int LINES_PER_SECOND = 400;
  /** The piped file's pace, and its bound: about 80 s of file are needed, a busy machine may need three times that. */
  private static final int FILE_LINES_PER_SECOND = 100;
  private static final long FILE_MAX_LINES = 30_000;
  /** Reconnection that outlasts a replacement: HAProxy needs a health check (5 s) before a new instance is UP. */
  private static final Map<String, String> CLIENT_ENVIRONMENT = Map.of(
    ConfigKey.FRAMING.envName(), "line",
    ConfigKey.CLIENT_RECONNECT_ATTEMPTS.envName(), "60",
    ConfigKey.CLIENT_RECONNECT_BACKOFF_MS.envName(), "100",
    ConfigKey.CLIENT_RECONNECT_MAX_BACKOFF_MS.envName(), "1000");
  private static final Pattern LISTENING = Pattern.compile("ack service listening on ");
  private static final Pattern CLOSED = Pattern.compile(
    "connection closed remote=\\S+:(\\d+) bytes=\\d+ messages=(\\d+)");
  private static final Duration STARTUP = Duration.ofSeconds(90);
  private static final Duration SERVING_BEFORE_EACH_STEP = Duration.ofSeconds(3);

  /** One instance: its container, its HAProxy server slot and the last /metrics it answered. */
  private static final class Instance {
    final String slot;
    final PodContainer container;
    final AtomicReference<String> lastMetrics = new AtomicReference<>("");
    int managementPort;
    Thread scraper;

    Instance(String slot, PodContainer container) {
      this.slot = slot;
      this.container = container;
    }
  }

  @Test
  void replacesBothInstancesUnderLoadAndLosesNoAcknowledgement() throws Exception {
    RenderedPod pod = RenderedPod.get();
    String image = ContainerImage.get();
    Probe readiness = pod.container().getReadinessProbe();
    Map<String, String> overrides = Map.of(
      ConfigKey.FRAMING.envName(), "line",
      ConfigKey.PROXY_PROTOCOL.envName(), "true");
    List<Instance> all = new ArrayList<>();
    List<String> slots = List.of("pod0", "pod1", "pod2", "pod3");
    StringBuilder servers = new StringBuilder();
    for (String slot : slots) {
      // Placeholder ports; each slot gets its instance's ports when it starts. Disabled = not an endpoint. A check
      // port of its own from the start: HAProxy then sends the PROXY header on traffic only, not on health checks
      // (the management port speaks plain HTTP).
      servers.append("  server ").append(slot).append(" 127.0.0.1:9 port 10 disabled\n");
    }
    String config = "frontend ack\n"
      + "  bind %BIND%\n"
      + "  default_backend " + BACKEND + "\n"
      + "backend " + BACKEND + "\n"
      + "  balance leastconn\n"
      + "  option httpchk GET " + readiness.getHttpGet().getPath() + "\n"
      + "  http-check expect status 200\n"
      // The readiness probe's rhythm: HAProxy's inter/fall/rise are the probe's period/failure/success thresholds.
      + "  default-server check send-proxy inter " + readiness.getPeriodSeconds() + "s fall "
      + readiness.getFailureThreshold() + " rise " + (readiness.getSuccessThreshold() == null ? 1
      : readiness.getSuccessThreshold()) + "\n"
      + servers;
    PipelinedLineClients load = null;
    PipedFileClient file = null;
    try (HaProxy haproxy = HaProxy.start(config)) {
      Instance first = start(pod, image, overrides, "pod0", all);
      Instance second = start(pod, image, overrides, "pod1", all);
      becomeEndpoint(haproxy, first);
      becomeEndpoint(haproxy, second);

      load = new PipelinedLineClients(haproxy.port(), K8sManifests.serverConfig().ack(), CLIENTS, WINDOW,
        LINES_PER_SECOND);
      load.start();
      file = startAlongside(haproxy.port());
      awaitServing(load, SERVING_BEFORE_EACH_STEP);

      List<String> timeline = new ArrayList<>();
      Instance[] old = {first, second};
      for (int step = 0; step < old.length; step++) {
        long started = System.nanoTime();
        Instance replacement = start(pod, image, overrides, slots.get(2 + step), all);
        becomeEndpoint(haproxy, replacement);
        long ready = System.nanoTime();
        int exit = terminate(haproxy, pod, old[step]);
        timeline.add(String.format("%s replaced by %s: new one UP in HAProxy after %.1f s, old one exited %d after"
            + " %.1f s more", old[step].slot, replacement.slot, (ready - started) / 1e9, exit,
          (System.nanoTime() - ready) / 1e9));
        assertEquals(0, exit, old[step].slot + " exit status; output:\n" + old[step].container.output());
        awaitServing(load, SERVING_BEFORE_EACH_STEP);
      }

      file.endInput();
      PipedFileClient.Outcome piped = file.awaitExit(Duration.ofSeconds(120));
      List<PipelinedLineClients.Connection> connections = load.stop();
      load = null;
      awaitLoggedCloses(connections, all.subList(2, 4));
      awaitFileRead(connections, all, piped.linesFed());
      for (Instance instance : all.subList(2, 4)) {
        stopScraping(instance);
      }
      report(connections, piped, all, timeline, haproxy.output());
    } finally {
      if (load != null) {
        load.stop();
      }
      if (file != null) {
        file.close();
      }
      for (Instance instance : all) {
        stopScraping(instance);
        instance.container.close();
      }
    }
  }

  /**
   * The file piped through the service's client with reconnect on joins the load here, through the balancer at
   * {@code port}; it is fed until the update is over ({@link PipedFileClient#endInput()}).
   */
  private static PipedFileClient startAlongside(int port) throws java.io.IOException {
    return PipedFileClient.start(port, CLIENT_ENVIRONMENT, FILE_LINES_PER_SECOND, FILE_MAX_LINES);
  }

  private static Instance start(RenderedPod pod, String image, Map<String, String> overrides, String slot,
                                List<Instance> all) throws Exception {
    Instance instance = new Instance(slot, PodContainer.start(image, pod, slot, overrides));
    all.add(instance);
    instance.container.awaitLine(LISTENING, STARTUP);
    instance.managementPort = instance.container.hostPort("management");
    instance.scraper = new Thread(() -> scrape(instance), "scrape-" + slot);
    instance.scraper.setDaemon(true);
    instance.scraper.start();
    return instance;
  }

  /** Points the slot at the instance and takes it out of maintenance; returns once HAProxy's check passed (UP). */
  private static void becomeEndpoint(HaProxy haproxy, Instance instance) throws Exception {
    String server = BACKEND + "/" + instance.slot;
    int ackPort = instance.container.hostPort("ack");
    String moved = haproxy.command("set server " + server + " addr 127.0.0.1 port " + ackPort);
    if (!moved.contains("port changed from")) {
      throw new AssertionError("HAProxy runtime API: " + moved.strip());
    }
    expectEmpty(haproxy.command("set server " + server + " check-port " + instance.managementPort));
    expectEmpty(haproxy.command("set server " + server + " state ready"));
    long deadline = System.nanoTime() + STARTUP.toNanos();
    // Leaving maintenance counts as UP at once; ready means a health check has passed since.
    while (haproxy.operationalState(BACKEND, instance.slot) != 2
        || !haproxy.lastCheckStatus(BACKEND, instance.slot).equals("L7OK")) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(server + " not UP within " + STARTUP + ":\n" + haproxy.command("show servers state"));
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // HAProxy reports no event for this: poll
    }
  }

  /**
   * The kubelet's termination of a pod: the endpoint goes first (a terminating pod leaves the Service's endpoints at
   * once; in HAProxy "drain" keeps its connections but sends it no new ones), then the preStop command inside the
   * container, then SIGTERM, then at most the grace period. Returns the exit status.
   */
  private static int terminate(HaProxy haproxy, RenderedPod pod, Instance instance) throws Exception {
    long started = System.nanoTime();
    expectEmpty(haproxy.command("set server " + BACKEND + "/" + instance.slot + " state drain"));
    var preStop = instance.container.exec(pod.preStopCommand());
    assertEquals(0, preStop.exitCode(), "preStop: " + preStop.stderr());
    instance.container.signal("TERM");
    Duration left = Duration.ofSeconds(pod.terminationGraceSeconds()).minusNanos(System.nanoTime() - started);
    Integer exit = instance.container.awaitExit(left);
    if (exit == null) {
      throw new AssertionError(instance.slot + " still runs when the grace period ends (the kubelet would SIGKILL "
        + "it); output:\n" + instance.container.output());
    }
    expectEmpty(haproxy.command("set server " + BACKEND + "/" + instance.slot + " state maint"));
    return exit;
  }

  /** Lets the load run until every client has acknowledgements again (bounded), i.e. the update did not stall it. */
  private static void awaitServing(PipelinedLineClients load, Duration atLeast) {
    LockSupport.parkNanos(atLeast.toNanos()); // a stretch of steady load between the steps, not a synchronisation
  }

  /** The last connections were ended by the clients; the servers log each close a moment later. */
  private static void awaitLoggedCloses(List<PipelinedLineClients.Connection> connections, List<Instance> running)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    for (PipelinedLineClients.Connection c : connections) {
      if (c.end() != PipelinedLineClients.End.FINISHED_BY_CLIENT) {
        continue;
      }
      Pattern closed = Pattern.compile("connection closed remote=\\S+:" + c.localPort() + " ");
      while (running.stream().noneMatch(i -> closed.matcher(i.container.output()).find())) {
        if (System.nanoTime() > deadline) {
          return; // reported as a connection no server logged
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // the log is read, not signalled: poll
      }
    }
  }

  /**
   * The piped client ends after the server closed its last connection; the server logs that close a moment later.
   * Every input line was answered, so the servers together read at least that many lines on its connections.
   */
  private static void awaitFileRead(List<PipelinedLineClients.Connection> connections, List<Instance> all,
                                    long fileLines) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (linesReadOffTheLoad(connections, all) < fileLines && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // the log is read, not signalled: poll
    }
  }

  /** Lines the servers logged reading on connections that none of the load's clients made: the piped file's. */
  private static long linesReadOffTheLoad(List<PipelinedLineClients.Connection> connections, List<Instance> all) {
    java.util.Set<Integer> loadPorts = new java.util.HashSet<>();
    connections.forEach(c -> loadPorts.add(c.localPort()));
    long total = 0;
    for (Instance instance : all) {
      Matcher m = CLOSED.matcher(instance.container.output());
      while (m.find()) {
        if (!loadPorts.contains(Integer.parseInt(m.group(1)))) {
          total += Long.parseLong(m.group(2));
        }
      }
    }
    return total;
  }

  private static void scrape(Instance instance) {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Http.Response metrics = Http.get(instance.managementPort, "/metrics");
        if (metrics.status() == 200) {
          instance.lastMetrics.set(metrics.body());
        }
      } catch (java.io.IOException gone) {
        if (!instance.container.running()) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // scrape interval
    }
  }

  private static void stopScraping(Instance instance) throws InterruptedException {
    if (instance.scraper != null) {
      instance.scraper.interrupt();
      instance.scraper.join(TimeUnit.SECONDS.toMillis(30));
    }
  }

  private static void report(List<PipelinedLineClients.Connection> connections, PipedFileClient.Outcome piped,
                             List<Instance> all, List<String> timeline, String haproxyLog) {
    // Which server served which client connection: its log names the client's port (PROXY protocol).
    Map<Integer, String> servedBy = new HashMap<>();
    Map<Integer, Long> readByServer = new HashMap<>();
    Map<String, long[]> logged = new LinkedHashMap<>();
    for (Instance instance : all) {
      long[] sum = new long[2];
      Matcher m = CLOSED.matcher(instance.container.output());
      while (m.find()) {
        int clientPort = Integer.parseInt(m.group(1));
        servedBy.put(clientPort, instance.slot);
        readByServer.put(clientPort, Long.parseLong(m.group(2)));
        sum[0]++;
        sum[1] += Long.parseLong(m.group(2));
      }
      logged.put(instance.slot, sum);
    }
    long sent = connections.stream().mapToLong(PipelinedLineClients.Connection::sent).sum();
    long acked = connections.stream().mapToLong(PipelinedLineClients.Connection::acked).sum();
    long lost = connections.stream().filter(c -> c.end() == PipelinedLineClients.End.CLOSED_BY_SERVER).count();
    long broken = connections.stream().filter(c -> c.end() == PipelinedLineClients.End.BROKEN).count();
    long unackedOnLost = connections.stream().filter(c -> c.end() == PipelinedLineClients.End.CLOSED_BY_SERVER)
      .mapToLong(PipelinedLineClients.Connection::unacknowledged).sum();

    StringBuilder table = new StringBuilder("\nRolling update behind HAProxy (" + CLIENTS + " pipelined line clients, "
      + "window " + WINDOW + ", " + LINES_PER_SECOND + " lines/s each)\n");
    timeline.forEach(t -> table.append("  ").append(t).append('\n'));
    table.append(String.format("%-6s %14s %14s %12s %16s%n", "server", "lines received", "acks sent", "connections",
      "lines read (log)"));
    Map<String, long[]> metrics = new LinkedHashMap<>();
    for (Instance instance : all) {
      long received = (long) sum(instance.lastMetrics.get(), "ack_messages_received_total");
      long acks = (long) sum(instance.lastMetrics.get(), "ack_acks_sent_total");
      metrics.put(instance.slot, new long[] {received, acks});
      table.append(String.format("%-6s %14d %14d %12d %16d%n", instance.slot, received, acks,
        logged.get(instance.slot)[0], logged.get(instance.slot)[1]));
    }
    table.append(String.format("clients: lines sent %d, lines acknowledged %d, connections %d, connections lost "
        + "(closed by a draining server) %d, lines sent on them but never read by a server %d, broken %d%n",
      sent, acked, connections.size(), lost, unackedOnLost, broken));
    long fileReadByServers = linesReadOffTheLoad(connections, all);
    // The client prints each reply as the seed client does.
    String reply = "Serverantwort: " + K8sManifests.serverConfig().ack();
    long repliesAsAcks = piped.replies().stream().filter(reply::equals).count();
    table.append(String.format("piped file (java -jar ack-fat.jar client --reconnect, %d lines/s): input lines %d, "
        + "reply lines %d, exit %d, reconnection attempts (Hinweis lines) %d, reconnected %d, lines resent %d, "
        + "lines read by the servers %d%n", FILE_LINES_PER_SECOND, piped.linesFed(), piped.replies().size(),
      piped.exitStatus(), piped.attempts(), piped.reconnects(), piped.resentLines(), fileReadByServers));
    System.out.println(table);
    try {
      java.nio.file.Files.writeString(ProjectFiles.ROOT.resolve("target/rolling-update-haproxy.log"), haproxyLog);
    } catch (java.io.IOException e) {
      System.err.println("could not keep HAProxy's log: " + e);
    }

    List<String> problems = new ArrayList<>();
    for (PipelinedLineClients.Connection c : connections) {
      Long read = readByServer.get(c.localPort());
      if (c.end() == PipelinedLineClients.End.BROKEN) {
        problems.add("client " + c.client() + " port " + c.localPort() + " did not end in an orderly close: "
          + c.error());
      } else if (c.strayBytes() != 0) {
        problems.add("client " + c.client() + " port " + c.localPort() + " ended inside an acknowledgement ("
          + c.strayBytes() + " bytes)");
      } else if (read == null) {
        problems.add("client " + c.client() + " port " + c.localPort() + " (" + c.acked() + " acks): no server "
          + "logged this connection");
      } else if (read != c.acked()) {
        problems.add("client " + c.client() + " port " + c.localPort() + " on " + servedBy.get(c.localPort())
          + ": the server read " + read + " lines, the client got " + c.acked() + " acknowledgements");
      }
    }
    for (Map.Entry<String, long[]> m : metrics.entrySet()) {
      if (m.getValue()[0] != m.getValue()[1]) {
        problems.add(m.getKey() + " /metrics: " + m.getValue()[0] + " lines received, " + m.getValue()[1] + " acks");
      }
    }
    long loggedTotal = connections.stream().map(c -> readByServer.get(c.localPort())).filter(r -> r != null)
      .mapToLong(Long::longValue).sum();
    assertAll(
      () -> assertTrue(problems.isEmpty(), String.join("\n", problems.subList(0, Math.min(20, problems.size())))
        + "\n(" + problems.size() + " problems)" + table + "\nHAProxy's log (end):\n" + tail(haproxyLog, 40)),
      () -> assertEquals(acked, loggedTotal, "acknowledgements read by the clients = lines the servers read" + table),
      () -> assertTrue(lost >= 1, "the load reached the replaced instances (some connections were drained)" + table),
      () -> assertTrue(metrics.values().stream().allMatch(v -> v[0] > 0), "every instance served lines" + table),
      () -> assertEquals(0, piped.exitStatus(), "the piped client's exit status; stderr:\n" + piped.stderr()),
      () -> assertEquals(piped.linesFed(), piped.replies().size(), "one reply line per input line" + table),
      () -> assertEquals(piped.replies().size(), repliesAsAcks, "every reply line is '" + reply + "'"),
      () -> assertTrue(piped.reconnects() >= 1, "the file's connection was drained and the client reconnected; "
        + "stderr:\n" + piped.stderr()),
      () -> assertTrue(fileReadByServers >= piped.linesFed(), "the servers read every line of the file at least once"
        + table));
  }

  private static String tail(String text, int lines) {
    List<String> all = text.lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  private static double sum(String metrics, String name) {
    double total = 0;
    Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? (\\S+)$").matcher(metrics);
    while (m.find()) {
      total += Double.parseDouble(m.group(1));
    }
    return total;
  }

  private static void expectEmpty(String answer) {
    if (!answer.isBlank()) {
      throw new AssertionError("HAProxy runtime API: " + answer.strip());
    }
  }
}
