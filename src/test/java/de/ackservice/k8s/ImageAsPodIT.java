package de.ackservice.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.ackservice.config.ConfigKey;
import de.ackservice.support.Acks;
import de.ackservice.support.BlockingClient;
import de.ackservice.support.ExternalTool;
import de.ackservice.support.Http;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real image, built from the Dockerfile ({@link ContainerImage}), run as the rendered Deployment's pod
 * ({@link PodContainer}): no override at all, the container listens on 5000 and 9090 inside and podman publishes
 * them on free loopback ports. One container for the whole class, checked in order; the last test ends it with the
 * kubelet's termination sequence.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImageAsPodIT {

  private static final Pattern LISTENING = Pattern.compile("ack service listening on \\S+:(\\d+) instances=(\\d+) ");
  private static final Pattern MANAGEMENT = Pattern.compile("management endpoint listening on ");
  private static final Pattern TRANSPORT_IN_START_LINE = Pattern.compile("ack service listening on .* transport=(.+)$");
  private static final Duration STARTUP = Duration.ofSeconds(60);
  private static final int STARTUP_RUNS = 7;
  /**
   * Run inside the container with java's arguments as its own: starts a second server there as the pod does (both ports 0 on loopback, beside the pod's own server), asks its {@code /health/ready} every 10 ms from
   * the moment it logs its management port, and prints the milliseconds from {@code java} to the first 200; then
   * ends it with SIGTERM (it drains nothing and exits 0). Bounded: 60 s, then it fails.
   */
  private static final String TIME_TO_READY = """
    set -u
    log=$(mktemp /tmp/time-to-ready.XXXXXX)
    start=$(date +%s%N)
    ACK_HOST=127.0.0.1 ACK_PORT=0 ACK_MANAGEMENT_HOST=127.0.0.1 ACK_MANAGEMENT_PORT=0 \\
      java "$@" > "$log" 2>&1 &
    pid=$!
    ready=
    deadline=$(( start + 60000000000 ))
    while [ "$(date +%s%N)" -lt "$deadline" ] && kill -0 "$pid" 2>/dev/null; do
      port=$(sed -n 's/.*management endpoint listening on [^ ]*:\\([0-9]*\\) .*/\\1/p' "$log")
      if [ -n "$port" ]; then
        status=$( (exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'GET /health/ready HTTP/1.0\\r\\n\\r\\n' >&3 \\
          && head -n 1 <&3) 2>/dev/null)
        case "$status" in *" 200 "*) ready=$(date +%s%N); break ;; esac
      fi
      sleep 0.01
    done
    kill -TERM "$pid" 2>/dev/null; wait "$pid"; status=$?
    if [ -z "$ready" ]; then echo "not ready within 60 s (exit $status):"; cat "$log"; rm -f "$log"; exit 1; fi
    rm -f "$log"
    echo "ready-ms $(( (ready - start) / 1000000 ))"
    [ "$status" -eq 0 ] || { echo "exit $status after SIGTERM"; exit 1; }
    """;

  private static RenderedPod pod;
  private static PodContainer container;
  private static int ackPort;
  private static int managementPort;
  private static int loggedInstances;

  @BeforeAll
  static void startThePod() throws Exception {
    pod = RenderedPod.get();
    container = PodContainer.start(ContainerImage.get(), pod, "pod", Map.of());
    Matcher listening = container.awaitLine(LISTENING, startupBudget());
    container.awaitLine(MANAGEMENT, STARTUP);
    loggedInstances = Integer.parseInt(listening.group(2));
    ackPort = container.hostPort("ack");
    managementPort = container.hostPort("management");
  }

  @AfterAll
  static void removeThePod() throws Exception {
    if (container != null) {
      container.close();
    }
  }

  @Test
  @Order(1)
  void acknowledgesOverThePublishedPort() throws Exception {
    try (BlockingClient client = new BlockingClient(ackPort)) {
      client.send("hello from the host");
      assertArrayEquals(Acks.RAW, client.read(Acks.RAW.length));
    }
  }

  @Test
  @Order(2)
  void answersTheProbesOnTheManagementPort() throws Exception {
    assertAll(
      () -> assertEquals(200, Http.get(managementPort, "/health/live").status()),
      () -> assertEquals(200, Http.get(managementPort, "/health/ready").status()),
      () -> assertEquals(200, Http.get(managementPort, "/metrics").status()));
  }

  /**
   * The JVM sizes itself from the container's cgroup limits, which come from the Deployment's resources: the heap is
   * MaxRAMPercentage of the memory limit, the processor count is the CPU limit, and with {@code instances: 0} the
   * server deploys the number of verticles that follows from it (max(1, processors / 2)). A second JVM in the same
   * container with the pod's JVM options prints what the JVM derived (-XshowSettings:system, -XX:+PrintFlagsFinal);
   * the server's own start-up line and its system_cpu_count metric must agree with it.
   */
  @Test
  @Order(3)
  void theJvmSeesTheContainersLimits() throws Exception {
    Container spec = pod.container();
    long memoryLimit = PodContainer.memoryLimitBytes(spec);
    int cpus = (int) Math.ceil(PodContainer.cpuLimit(spec));
    double percentage = Double.parseDouble(K8sManifests.jvmOption(spec.getCommand(), "-XX:MaxRAMPercentage="));
    List<String> probe = new ArrayList<>(List.of("java"));
    probe.addAll(spec.getCommand().subList(1, spec.getCommand().indexOf("-jar")));
    probe.addAll(List.of("-XshowSettings:system", "-XX:+PrintFlagsFinal", "-version"));
    ExternalTool.Result settings = container.exec(probe).requireSuccess();
    String all = settings.stdout() + settings.stderr();
    long heap = Long.parseLong(find(all, "size_t MaxHeapSize\\s+=\\s+(\\d+)"));
    String cgroupMemory = find(all, "Memory Limit: (\\S+)");
    int effectiveCpus = Integer.parseInt(find(all, "Effective CPU Count: (\\d+)"));
    double cpuCountMetric = Double.parseDouble(find(Http.get(managementPort, "/metrics").body(),
      "(?m)^system_cpu_count(?:\\{[^}]*})? (\\S+)$"));
    long expectedHeap = (long) (memoryLimit * percentage / 100);

    System.out.printf("JVM in the container: memory limit %s (Deployment: %d bytes), heap %d bytes (expected %d = "
        + "%.1f %%), effective CPUs %d (limit %s), server instances %d%n", cgroupMemory, memoryLimit, heap,
      expectedHeap, percentage, effectiveCpus, spec.getResources().getLimits().get("cpu"), loggedInstances);
    assertAll(
      () -> assertEquals(memoryLimit / (1024 * 1024) + ".00M", cgroupMemory, "the cgroup memory limit"),
      // The heap is rounded to the collector's alignment: within 2 MiB of the percentage.
      () -> assertTrue(Math.abs(heap - expectedHeap) <= 2 * 1024 * 1024, "MaxHeapSize " + heap + " vs " + expectedHeap),
      () -> assertEquals(cpus, effectiveCpus, "processors the JVM sees"),
      () -> assertEquals(cpus, (int) cpuCountMetric, "system_cpu_count of the running server"),
      () -> assertEquals(Math.max(1, cpus / 2), loggedInstances, "instances the server deployed (instances: 0)"));
  }

  @Test
  @Order(4)
  void runsAsThePodsUserWithNoPrivilegeAndWritesOnlyToTmp() throws Exception {
    PodSecurityContext security = pod.spec().getSecurityContext();
    String status = container.exec(List.of("cat", "/proc/1/status")).requireSuccess().stdout();
    String writeTmp = "echo x > /tmp/probe && echo written";

    assertAll(
      () -> assertEquals(security.getRunAsUser() + "", find(status, "(?m)^Uid:\\s+(\\d+)"), "uid of PID 1 (java)"),
      () -> assertEquals(10001L, security.getRunAsUser()),
      () -> assertEquals(security.getRunAsGroup() + "", find(status, "(?m)^Gid:\\s+(\\d+)"), "gid of PID 1"),
      () -> assertEquals("0000000000000000", find(status, "(?m)^CapEff:\\s+(\\S+)"), "effective capabilities"),
      () -> assertEquals("0000000000000000", find(status, "(?m)^CapBnd:\\s+(\\S+)"), "bounding set: ALL dropped"),
      () -> assertEquals("1", find(status, "(?m)^NoNewPrivs:\\s+(\\d)"), "no privilege escalation"),
      () -> assertEquals("written", container.exec(List.of("sh", "-c", writeTmp)).requireSuccess().stdout().strip()));
    for (String outside : List.of("/app/probe", "/etc/ack/probe", "/probe", "/var/tmp/probe", "/run/probe")) {
      ExternalTool.Result write = container.exec(List.of("sh", "-c", "echo x > " + outside));
      assertNotEquals(0, write.exitCode(), "writing " + outside + " must fail");
      assertTrue(write.stderr().contains("Read-only file system") || write.stderr().contains("Permission denied"),
        outside + ": " + write.stderr());
    }
  }

  /**
   * What the kubelet does to a pod being replaced: run the preStop command inside the container, then SIGTERM, then
   * wait at most the grace period (counted from the start of preStop). A client connected before it all sends a
   * message during the drain and still gets it acknowledged; readiness answers 503 while liveness stays 200; the
   * container exits 0 once the client leaves, within the grace period.
   */
  /**
   * Class-data sharing: the image build made {@code /app/ack.jsa} by a training run of the server (Dockerfile) and
   * the entry point names it. The running server, PID 1 under the read-only root, has the archive mapped
   * ({@code /proc/1/maps}); a JVM started as the pod starts it, with class loading logged, takes the application's
   * own classes from the archive's top layer rather than from the jar. Then the time from {@code java} to
   * {@code /health/ready} answering 200, measured inside this container (its CPU and memory limits) by
   * {@link #TIME_TO_READY}, for {@value #STARTUP_RUNS} runs each without the archive (the JDK's own only, as
   * before) and with it, alternating: printed as min/median/max, never asserted.
   */
  @Test
  @Order(5)
  void startsWithTheClassDataSharingArchiveMadeWhenTheImageWasBuilt() throws Exception {
    List<String> jvmOptions = pod.container().getCommand().subList(1, pod.container().getCommand().indexOf("-jar"));
    String archiveOption = jvmOptions.stream().filter(o -> o.startsWith("-XX:SharedArchiveFile=")).findFirst()
      .orElseThrow(() -> new AssertionError("the pod's command names no -XX:SharedArchiveFile: " + jvmOptions));
    String archive = archiveOption.substring(archiveOption.indexOf('=') + 1);
    List<String> withoutArchive = jvmOptions.stream().filter(o -> !o.equals(archiveOption)).toList();

    String maps = container.exec(List.of("cat", "/proc/1/maps")).requireSuccess().stdout();
    assertTrue(maps.lines().anyMatch(l -> l.endsWith(" " + archive)), "PID 1 has " + archive + " mapped:\n" + maps);

    List<String> logged = new ArrayList<>(jvmOptions);
    logged.add("-Xlog:class+load=info:file=/tmp/class-load.log");
    timeToReady(logged);
    String classLoad = container.exec(List.of("cat", "/tmp/class-load.log")).requireSuccess().stdout();
    long fromTop = classLoad.lines().filter(l -> l.contains("source: shared objects file (top)")).count();
    long fromBase = classLoad.lines().filter(l -> l.contains("source: shared objects file")
      && !l.contains("(top)")).count();
    long ownFromTop = classLoad.lines().filter(l -> l.contains(" de.ackservice.")
      && l.contains("source: shared objects file (top)")).count();
    long ownElsewhere = classLoad.lines().filter(l -> l.contains(" de.ackservice.")
      && !l.contains("source: shared objects file")).count();
    long other = classLoad.lines().filter(l -> l.contains(" source: ") && !l.contains("source: shared objects file"))
      .count();
    System.out.printf("class-data sharing: classes from %s %d (de.ackservice.* %d), from the JDK's archive %d, "
      + "loaded and verified at start %d (de.ackservice.* %d)%n", archive, fromTop, ownFromTop, fromBase, other,
      ownElsewhere);
    assertTrue(ownFromTop > 0, "the application's classes come from " + archive + ":\n" + classLoad);

    List<Long> before = new ArrayList<>();
    List<Long> after = new ArrayList<>();
    for (int run = 0; run < STARTUP_RUNS; run++) {
      before.add(timeToReady(withoutArchive));
      after.add(timeToReady(jvmOptions));
    }
    System.out.printf("time to /health/ready inside the container (%d runs each, ms, min/median/max): without the "
        + "archive %s, with %s %s%n", STARTUP_RUNS, minMedianMax(before), archive, minMedianMax(after));
  }

  /**
   * Issue 11, transport {@code auto} where the pod runs: under the container runtime's default seccomp profile, which
   * the pod's {@code seccompProfile: RuntimeDefault} selects (podman applies its default profile to every container
   * unless told otherwise; PID 1's {@code Seccomp: 2} shows the filter is on). podman's profile
   * ({@code podman info}: SECCOMPProfilePath) allows the system calls it lists and answers all others with an errno;
   * the test reads it to know whether it lists {@code io_uring_setup}. A container of the image with the pod's
   * settings and {@code ACK_TRANSPORT=auto} (the pod's default too; set, so that the test stays about {@code auto}) must
   * then start on io_uring if the profile allows it, else on epoll with the refusal's reason in its start-up line; and
   * serve an acknowledgement, with {@code ack_transport_info} naming the same transport. A contrast container
   * with {@code --security-opt seccomp=unconfined} (the test's only extra option) shows whether the profile is what
   * refuses io_uring: there, with this machine's kernel, auto takes io_uring.
   */
  @Test
  @Order(6)
  void transportAutoUnderTheRuntimesDefaultSeccompProfileSaysWhatItRunsOnAndServes() throws Exception {
    String profilePath = PodContainer.podman("info", "--format", "{{.Host.Security.SECCOMPEnabled}} "
      + "{{.Host.Security.SECCOMPProfilePath}}").requireSuccess().stdout().strip();
    assertTrue(profilePath.startsWith("true "), "podman applies seccomp: " + profilePath);
    JsonNode profile = new ObjectMapper().readTree(java.nio.file.Path.of(profilePath.substring(5)).toFile());
    boolean profileAllowsIoUring = false;
    for (JsonNode rule : profile.path("syscalls")) {
      for (JsonNode name : rule.path("names")) {
        profileAllowsIoUring |= name.asText().equals("io_uring_setup")
          && rule.path("action").asText().equals("SCMP_ACT_ALLOW");
      }
    }

    String underProfile = transportOfAutoIn("transport-default-seccomp", List.of(), true);
    String unconfined = transportOfAutoIn("transport-unconfined", List.of("--security-opt", "seccomp=unconfined"),
      false);
    System.out.printf("transport auto in the pod's container: under podman's default seccomp profile (%s, "
        + "defaultAction %s, errno %s, io_uring_setup %s) -> transport=%s; without seccomp -> transport=%s%n",
      profilePath.substring(5), profile.path("defaultAction").asText(), profile.path("defaultErrnoRet").asText(),
      profileAllowsIoUring ? "allowed" : "not listed", underProfile, unconfined);
    if (profileAllowsIoUring) {
      assertEquals("io_uring", underProfile, "the profile allows io_uring_setup");
    } else {
      assertTrue(underProfile.matches("epoll \\(io_uring refused: .+\\)"),
        "auto falls back to epoll and says why io_uring was refused: transport=" + underProfile);
    }
    assertEquals("io_uring", unconfined, "without the profile, this kernel allows io_uring");
  }

  /**
   * Starts a container of the image as the pod with {@code ACK_TRANSPORT=auto}, checks that it serves an
   * acknowledgement and that /metrics names the transport its start-up line names; returns that line's
   * {@code transport=...} value. Removed again before returning.
   */
  private static String transportOfAutoIn(String role, List<String> testOptions, boolean seccompFiltered)
      throws Exception {
    try (PodContainer auto = PodContainer.start(ContainerImage.get(), pod, role,
        Map.of(ConfigKey.TRANSPORT.envName(), "auto"), testOptions)) {
      Matcher started = auto.awaitLine(TRANSPORT_IN_START_LINE, startupBudget());
      String status = auto.exec(List.of("cat", "/proc/1/status")).requireSuccess().stdout();
      assertEquals(seccompFiltered ? "2" : "0", find(status, "(?m)^Seccomp:\\s+(\\d)"),
        role + ": PID 1's seccomp mode (2 = filtered by a profile, 0 = none)");
      auto.awaitLine(MANAGEMENT, STARTUP);
      try (BlockingClient client = new BlockingClient(auto.hostPort("ack"))) {
        client.send("over " + started.group(1));
        assertArrayEquals(Acks.RAW, client.read(Acks.RAW.length), role + ": acknowledged");
      }
      String inUse = started.group(1).split(" ", 2)[0];
      String metrics = Http.get(auto.hostPort("management"), "/metrics").body();
      assertEquals(inUse, find(metrics, "(?m)^ack_transport_info\\{[^}]*transport=\"([^\"]+)\"[^}]*} 1(?:\\.0)?$"),
        role + ": ack_transport_info");
      return started.group(1);
    }
  }

  @Test
  @Order(7)
  void theKubeletsTerminationSequenceDrainsAndExitsZero() throws Exception {
    long grace = pod.terminationGraceSeconds();
    try (BlockingClient client = new BlockingClient(ackPort)) {
      client.send("before");
      assertArrayEquals(Acks.RAW, client.read(Acks.RAW.length));
      long started = System.nanoTime();

      ExternalTool.Result preStop = container.exec(pod.preStopCommand());
      assertEquals(0, preStop.exitCode(), "preStop " + pod.preStopCommand() + ": " + preStop.stderr());
      assertEquals(200, Http.get(managementPort, "/health/ready").status(), "ready until SIGTERM");
      container.signal("TERM");
      container.awaitLine(Pattern.compile("SIGTERM received"), Duration.ofSeconds(grace));

      assertEquals(503, Http.get(managementPort, "/health/ready").status(), "readiness during the drain");
      assertEquals(200, Http.get(managementPort, "/health/live").status(), "liveness during the drain");
      client.send("during the drain");
      assertArrayEquals(Acks.RAW, client.read(Acks.RAW.length), "a message sent during the drain is acknowledged");
      client.close();

      Duration left = Duration.ofSeconds(grace).minusNanos(System.nanoTime() - started);
      Integer exit = container.awaitExit(left);
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf("termination: preStop %s, SIGTERM, exit %s after %.1f s of the %d s grace%n",
        pod.preStopCommand(), exit, seconds, grace);
      assertNotNull(exit, "the container still runs when the grace period ends; output:\n" + container.output());
      assertEquals(0, exit, "exit status; output:\n" + container.output());
    }
  }

  /** Milliseconds from starting a second server in the container to its readiness answering 200 (see the script). */
  private static long timeToReady(List<String> jvmOptions) throws Exception {
    List<String> podCommand = pod.container().getCommand();
    List<String> command = new ArrayList<>(List.of("bash", "-c", TIME_TO_READY, "time-to-ready"));
    command.addAll(jvmOptions);
    command.addAll(podCommand.subList(podCommand.indexOf("-jar"), podCommand.size()));
    ExternalTool.Result run = container.exec(command);
    if (run.exitCode() != 0) {
      throw new AssertionError("time-to-ready exited " + run.exitCode() + ": " + run.stdout() + run.stderr());
    }
    return Long.parseLong(find(run.stdout(), "(?m)^ready-ms (\\d+)$"));
  }

  private static String minMedianMax(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(0) + "/" + sorted.get(sorted.size() / 2) + "/" + sorted.get(sorted.size() - 1);
  }

  /** The startup probe's budget: periodSeconds × failureThreshold (plus its initial delay). */
  private static Duration startupBudget() {
    var probe = pod.container().getStartupProbe();
    if (probe == null) {
      return STARTUP;
    }
    long seconds = (long) probe.getPeriodSeconds() * probe.getFailureThreshold()
      + (probe.getInitialDelaySeconds() == null ? 0 : probe.getInitialDelaySeconds());
    return Duration.ofSeconds(seconds);
  }

  private static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) {
      throw new AssertionError("/" + regex + "/ not found in:\n" + text);
    }
    return m.group(1);
  }
}
