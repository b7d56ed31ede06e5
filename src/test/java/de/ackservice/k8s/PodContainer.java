package de.ackservice.k8s;

import de.ackservice.support.ProcessOutput;
import de.ackservice.support.ExternalTool;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The image run by podman as the kubelet would run the rendered Deployment's container. Every setting comes from
 * the {@link RenderedPod}:
 * <ul>
 *   <li>command and args replace the image's entry point and cmd, as in Kubernetes;</li>
 *   <li>runAsUser/runAsGroup → {@code --user}; readOnlyRootFilesystem → {@code --read-only} without podman's own
 *       tmpfs mounts; drop ALL → {@code --cap-drop ALL}; allowPrivilegeEscalation false → no-new-privileges;</li>
 *   <li>limits.memory/limits.cpu → {@code --memory}/{@code --cpus} (the cgroup limits the JVM reads);</li>
 *   <li>a ConfigMap volume → its rendered data written to files and bind-mounted read-only where the container
 *       mounts it; an emptyDir → a tmpfs of its sizeLimit;</li>
 *   <li>env → {@code --env}, plus the test's own overrides, which each test must name and explain;</li>
 *   <li>each container port → published on 127.0.0.1 at a free host port the engine picks.</li>
 * </ul>
 * A setting this class cannot map fails the test: extend the mapping rather than ignore it. The container runs
 * attached ({@code podman run} stays in the foreground), so its output is read line by line and its exit status is
 * the process's; {@link #close()} removes it whatever happened.
 */
final class PodContainer implements AutoCloseable {

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

  private final String name;
  private final Container container;
  private final Path scratch;
  private final Process process;
  private final ProcessOutput output;

  private PodContainer(String name, Container container, Path scratch, Process process) {
    this.name = name;
    this.container = container;
    this.scratch = scratch;
    this.process = process;
    this.output = new ProcessOutput(process.getInputStream(), "container-output-" + name);
  }

  /** A container name no other run or test shares: the test JVM's pid, a counter and the role. */
  static String uniqueName(String role) {
    return "ack-it-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-" + role;
  }

  static PodContainer start(String image, RenderedPod pod, String role, Map<String, String> envOverrides)
      throws IOException {
    return start(image, pod, role, envOverrides, List.of());
  }

  /**
   * The same with podman options of the test's own after the pod's (e.g. a contrast run without seccomp), which the
   * test must name and explain like its environment overrides.
   */
  static PodContainer start(String image, RenderedPod pod, String role, Map<String, String> envOverrides,
                            List<String> testOptions) throws IOException {
    String name = uniqueName(role);
    Container container = pod.container();
    Path scratch = Files.createTempDirectory(name);
    Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> command = new ArrayList<>(List.of(ContainerImage.podman(), "run", "--name", name,
      "--label", "de.ackservice.test=" + role, "--pull", "never"));
    command.addAll(securityOptions(pod));
    command.addAll(resourceOptions(container));
    command.addAll(volumeOptions(pod, scratch));
    for (Map.Entry<String, String> variable : environment(container, envOverrides).entrySet()) {
      command.addAll(List.of("--env", variable.getKey() + "=" + variable.getValue()));
    }
    for (ContainerPort port : container.getPorts()) {
      command.addAll(List.of("--publish", "127.0.0.1::" + port.getContainerPort() + "/"
        + port.getProtocol().toLowerCase()));
    }
    command.addAll(testOptions);
    List<String> entrypoint = container.getCommand();
    if (entrypoint != null && !entrypoint.isEmpty()) {
      command.addAll(List.of("--entrypoint", toJsonArray(entrypoint)));
    }
    command.add(image);
    if (container.getArgs() != null) {
      command.addAll(container.getArgs());
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
      .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    return new PodContainer(name, container, scratch, process);
  }

  String name() {
    return name;
  }

  /** The host port on 127.0.0.1 that a named container port is published at. */
  int hostPort(String portName) throws IOException, InterruptedException {
    ContainerPort port = container.getPorts().stream().filter(p -> portName.equals(p.getName())).findFirst()
      .orElseThrow(() -> new AssertionError("the container has no port named " + portName));
    String answer = podman("port", name, port.getContainerPort() + "/" + port.getProtocol().toLowerCase())
      .requireSuccess().stdout().strip();
    Matcher m = Pattern.compile("127\\.0\\.0\\.1:(\\d+)").matcher(answer);
    if (!m.find()) {
      throw new AssertionError("port " + portName + " is not published on 127.0.0.1: " + answer);
    }
    return Integer.parseInt(m.group(1));
  }

  /** Runs a command inside the container, as its user, like the kubelet's exec hooks and probes. */
  ExternalTool.Result exec(List<String> command) throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of("exec", name));
    all.addAll(command);
    return podman(all.toArray(String[]::new));
  }

  /** Sends a signal to the container's PID 1, as the kubelet (through the runtime) sends SIGTERM. */
  void signal(String signal) throws IOException, InterruptedException {
    podman("kill", "--signal", signal, name).requireSuccess();
  }

  /** Waits (bounded) for an output line matching the pattern; fails with the output so far. */
  Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
    return output.awaitLine("container " + name, pattern, timeout);
  }

  /** The container's exit status, waiting at most {@code timeout}; null when it still runs then. */
  Integer awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
  }

  boolean running() {
    return process.isAlive();
  }

  String output() {
    return output.text();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      podman("rm", "--force", "--time", "0", name);
      process.waitFor(30, TimeUnit.SECONDS);
    } finally {
      process.destroyForcibly();
      try (Stream<Path> files = Files.walk(scratch)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  static ExternalTool.Result podman(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(ContainerImage.podman()));
    command.addAll(List.of(args));
    return ExternalTool.run(command, COMMAND_TIMEOUT);
  }

  private static List<String> securityOptions(RenderedPod pod) {
    PodSecurityContext podContext = pod.spec().getSecurityContext();
    SecurityContext own = pod.container().getSecurityContext();
    Long user = own != null && own.getRunAsUser() != null ? own.getRunAsUser()
      : podContext != null ? podContext.getRunAsUser() : null;
    Long group = own != null && own.getRunAsGroup() != null ? own.getRunAsGroup()
      : podContext != null ? podContext.getRunAsGroup() : null;
    List<String> options = new ArrayList<>();
    if (user != null) {
      options.addAll(List.of("--user", user + (group != null ? ":" + group : "")));
    }
    if (own == null) {
      return options;
    }
    if (Boolean.TRUE.equals(own.getReadOnlyRootFilesystem())) {
      // Only what the pod mounts is writable: no tmpfs of podman's own on /tmp, /var/tmp and /run.
      options.addAll(List.of("--read-only", "--read-only-tmpfs=false"));
    }
    if (Boolean.FALSE.equals(own.getAllowPrivilegeEscalation())) {
      options.addAll(List.of("--security-opt", "no-new-privileges"));
    }
    if (Boolean.TRUE.equals(own.getPrivileged())) {
      throw new AssertionError("a privileged container: map it in PodContainer");
    }
    Capabilities capabilities = own.getCapabilities();
    if (capabilities != null) {
      for (String drop : capabilities.getDrop() == null ? List.<String>of() : capabilities.getDrop()) {
        options.addAll(List.of("--cap-drop", drop));
      }
      for (String add : capabilities.getAdd() == null ? List.<String>of() : capabilities.getAdd()) {
        options.addAll(List.of("--cap-add", add));
      }
    }
    // seccompProfile RuntimeDefault is podman's default profile as well.
    return options;
  }

  private static List<String> resourceOptions(Container container) {
    Map<String, Quantity> limits = container.getResources() == null || container.getResources().getLimits() == null
      ? Map.of() : container.getResources().getLimits();
    List<String> options = new ArrayList<>();
    if (limits.containsKey("memory")) {
      options.addAll(List.of("--memory", memoryLimitBytes(container) + "b"));
    }
    if (limits.containsKey("cpu")) {
      options.addAll(List.of("--cpus", Quantity.getAmountInBytes(limits.get("cpu")).stripTrailingZeros()
        .toPlainString()));
    }
    return options;
  }

  static long memoryLimitBytes(Container container) {
    BigDecimal bytes = Quantity.getAmountInBytes(container.getResources().getLimits().get("memory"));
    return bytes.longValueExact();
  }

  static double cpuLimit(Container container) {
    return Quantity.getAmountInBytes(container.getResources().getLimits().get("cpu")).doubleValue();
  }

  private static List<String> volumeOptions(RenderedPod pod, Path scratch) throws IOException {
    List<String> options = new ArrayList<>();
    for (VolumeMount mount : pod.container().getVolumeMounts()) {
      Volume volume = pod.spec().getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + mount.getName()));
      if (mount.getSubPath() != null) {
        throw new AssertionError("subPath mounts: map them in PodContainer");
      }
      if (volume.getConfigMap() != null) {
        Path dir = Files.createDirectory(scratch.resolve(volume.getName()));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        // The kubelet writes each key as a file readable by all (defaultMode 0644).
        for (Map.Entry<String, String> entry : pod.configMap(volume.getConfigMap().getName()).getData().entrySet()) {
          Path file = Files.writeString(dir.resolve(entry.getKey()), entry.getValue());
          Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
        options.addAll(List.of("--volume", dir + ":" + mount.getMountPath()
          + (Boolean.TRUE.equals(mount.getReadOnly()) ? ":ro" : "")));
      } else if (volume.getEmptyDir() != null) {
        String size = volume.getEmptyDir().getSizeLimit() == null ? ""
          : ",size=" + Quantity.getAmountInBytes(volume.getEmptyDir().getSizeLimit()).longValueExact();
        // The kubelet makes an emptyDir world-writable (0777); a tmpfs stands in for the node's disk.
        options.addAll(List.of("--tmpfs", mount.getMountPath() + ":rw,mode=1777" + size));
      } else {
        throw new AssertionError("volume " + volume.getName() + " is neither a ConfigMap nor an emptyDir: map it");
      }
    }
    return options;
  }

  private static Map<String, String> environment(Container container, Map<String, String> overrides) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar variable : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
      if (variable.getValueFrom() != null) {
        throw new AssertionError("env " + variable.getName() + " uses valueFrom: map it in PodContainer");
      }
      env.put(variable.getName(), variable.getValue());
    }
    env.putAll(new HashMap<>(overrides));
    return env;
  }

  private static String toJsonArray(List<String> words) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(words);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
