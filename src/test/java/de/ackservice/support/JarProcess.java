package de.ackservice.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged jar started as a process, as a user starts it. Its output (stdout and stderr merged) is collected
 * line by line so a test can wait for a line; {@link #close()} ends the process if the test has not.
 */
public final class JarProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("ack service listening on \\S+:(\\d+) ");
  private static final long WAIT_MS = 60_000;

  private final Process process;
  private final ProcessOutput output;

  private JarProcess(Process process) {
    this.process = process;
    this.output = new ProcessOutput(process.getInputStream(), "jar-output");
  }

  public static Path jar() {
    String jar = System.getProperty("ackservice.jar");
    if (jar == null) {
      throw new IllegalStateException("system property ackservice.jar is not set: run the *IT tests with mvn verify");
    }
    return Path.of(jar);
  }

  /** {@code java [jvmArgs] -jar ack-fat.jar [args]} with extra environment variables. */
  public static JarProcess start(List<String> jvmArgs, List<String> args, Map<String, String> env) throws IOException {
    return start(List.of(), jvmArgs, args, env);
  }

  /**
   * The same under {@code bash -c 'ulimit ...; exec java ...'}: with {@code openFiles} > 0, the soft and the hard
   * limit of open files are set to it (the JVM raises its soft limit to the hard one by itself, so both).
   */
  public static JarProcess startWithOpenFileLimit(int openFiles, List<String> jvmArgs, List<String> args,
                                                  Map<String, String> env) throws IOException {
    return start(List.of("bash", "-c", "ulimit -Sn " + openFiles + " && ulimit -Hn " + openFiles + " && exec \"$@\"",
      "bash"), jvmArgs, args, env);
  }

  /**
   * As above, the java command run through {@code wrapper} (e.g. a program that installs a seccomp filter and then
   * executes the rest of its command line).
   */
  public static JarProcess start(List<String> wrapper, List<String> jvmArgs, List<String> args,
                                 Map<String, String> env) throws IOException {
    List<String> command = new ArrayList<>(wrapper);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // The management endpoint too listens on a free loopback port unless a test says otherwise: 9090 may be taken.
    builder.environment().put("ACK_MANAGEMENT_PORT", "0");
    builder.environment().put("ACK_MANAGEMENT_HOST", "127.0.0.1");
    builder.environment().putAll(env);
    return new JarProcess(builder.start());
  }

  /** Starts the server on a free port and waits until it listens. */
  public static JarProcess startServer(List<String> args, Map<String, String> env) throws Exception {
    return startServer(List.of(), args, env);
  }

  /** The same with JVM options (e.g. -Xmx). */
  public static JarProcess startServer(List<String> jvmArgs, List<String> args, Map<String, String> env)
    throws Exception {
    JarProcess server = start(jvmArgs, args, onFreeLoopbackPort(env));
    server.awaitLine(LISTENING);
    return server;
  }

  /** The same with a limit on open files (soft and hard). */
  public static JarProcess startServerWithOpenFileLimit(int openFiles, List<String> args, Map<String, String> env)
    throws Exception {
    JarProcess server = startWithOpenFileLimit(openFiles, List.of(), args, onFreeLoopbackPort(env));
    server.awaitLine(LISTENING);
    return server;
  }

  private static Map<String, String> onFreeLoopbackPort(Map<String, String> env) {
    Map<String, String> withPort = new java.util.HashMap<>(env);
    withPort.putIfAbsent("ACK_PORT", "0");
    withPort.putIfAbsent("ACK_HOST", "127.0.0.1");
    return withPort;
  }

  /** The management port the server logged. */
  public int managementPort() throws InterruptedException {
    return Integer.parseInt(awaitLine(Pattern.compile("management endpoint listening on \\S+:(\\d+) ")).group(1));
  }

  /** How many lines of the output so far contain {@code text}. */
  public long linesContaining(String text) {
    return output.linesContaining(text);
  }

  public int port() throws InterruptedException {
    Matcher listening = awaitLine(LISTENING);
    return Integer.parseInt(listening.group(1));
  }

  /** Waits (bounded) for an output line matching {@code pattern}; fails with the output so far. */
  public Matcher awaitLine(Pattern pattern) throws InterruptedException {
    return output.awaitLine("the jar", pattern, Duration.ofMillis(WAIT_MS));
  }

  /** Waits (bounded) until at least {@code count} lines contain {@code text}. */
  public void awaitLinesContaining(String text, long count) throws InterruptedException {
    output.awaitLinesContaining("the jar", text, count, Duration.ofMillis(WAIT_MS));
  }

  /** Waits (bounded) for the process to exit and returns its status. */
  public int awaitExit(long timeout, TimeUnit unit) throws InterruptedException {
    if (!process.waitFor(timeout, unit)) {
      throw new AssertionError("process still running after " + timeout + " " + unit + "; output:\n" + output());
    }
    return process.exitValue();
  }

  /** SIGTERM. Not Process.destroy(): that also closes our end of the process's output, and we want to read on. */
  public void sigterm() {
    process.toHandle().destroy();
  }

  public Process process() {
    return process;
  }

  public String output() {
    return output.text();
  }

  /** The process's CPU time so far (user + system, all threads), in ticks of 1/100 s, from {@code /proc}. */
  public long cpuTicks() throws IOException {
    String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /**
   * The CPU the process uses over {@code window} while the test does nothing: how a spinning thread shows (a busy
   * core is 100 ticks a second). The window is a measurement interval, not a wait for an event.
   */
  public IdleCpu idleCpu(Duration window) throws IOException {
    long before = cpuTicks();
    long start = System.nanoTime();
    long end = start + window.toNanos();
    for (int park = 0; park < 1000 && System.nanoTime() < end; park++) {
      LockSupport.parkNanos(end - System.nanoTime());
    }
    return new IdleCpu(cpuTicks() - before, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) / 10);
  }

  /** CPU ticks used over a window of {@code windowTicks} (1/100 s each). */
  public record IdleCpu(long usedTicks, long windowTicks) {

    /**
     * Well under a busy core: less than half the window. A spinning thread uses all of it; what an idle JVM still
     * does right after load (the JIT compiling what the load made hot) measured up to 34 of 200 ticks.
     */
    public boolean noSpin() {
      return usedTicks < windowTicks / 2;
    }

    @Override
    public String toString() {
      return usedTicks + " ticks of CPU (1/100 s) over " + windowTicks + " idle ticks";
    }
  }



  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
