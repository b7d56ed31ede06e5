package de.ackservice.k8s;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link LocalPod}'s command running as a process: its output collected line by line, lines awaited as futures,
 * its exit as a future. When the tests run as root, the process runs as the pod's runAsUser/runAsGroup (through
 * util-linux {@code setpriv}), as the kubelet would start it; otherwise as the (already non-root) current user.
 */
final class PodProcess implements AutoCloseable {

  private final Process process;
  private final Context context;
  private final List<String> output = new ArrayList<>();
  private final List<Watch> watches = new ArrayList<>();
  private final Thread reader;

  private record Watch(Pattern pattern, Promise<Matcher> promise) {
  }

  private PodProcess(Process process, Vertx vertx) {
    this.process = process;
    this.context = vertx.getOrCreateContext();
    this.reader = new Thread(this::readOutput, "pod-output");
    reader.setDaemon(true);
    reader.start();
  }

  static PodProcess start(LocalPod pod, Vertx vertx) throws IOException {
    List<String> command = new ArrayList<>();
    Path setpriv = Path.of("/usr/bin/setpriv");
    if (runningAsRoot()) {
      if (!Files.isExecutable(setpriv)) {
        throw new AssertionError("the tests run as root and util-linux setpriv is missing: cannot run the pod's "
          + "command as its non-root user");
      }
      command.addAll(List.of(setpriv.toString(), "--reuid=" + pod.runAsUser(), "--regid=" + pod.runAsGroup(),
        "--clear-groups", "--"));
    }
    command.addAll(pod.command());
    ProcessBuilder builder = new ProcessBuilder(command)
      .directory(pod.workingDirectory().toFile())
      .redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(pod.environment());
    return new PodProcess(builder.start(), vertx);
  }

  /** The first output line matching the pattern, past or future; fails if the process exits before printing it. */
  Future<Matcher> awaitLine(Pattern pattern) {
    Promise<Matcher> promise = Promise.promise();
    synchronized (output) {
      for (String line : output) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return Future.succeededFuture(m);
        }
      }
      if (!reader.isAlive()) {
        return Future.failedFuture(new AssertionError("the process ended without printing /" + pattern + "/:\n"
          + output()));
      }
      watches.add(new Watch(pattern, promise));
    }
    return promise.future();
  }

  /**
   * SIGTERM, as the kubelet sends it after the preStop hook. Through the ProcessHandle: Process.destroy() would
   * also close our end of the process's output, and the drain's log lines would be lost.
   */
  void terminate() {
    if (!process.toHandle().destroy()) {
      throw new AssertionError("could not send SIGTERM to " + process.pid());
    }
  }

  /** The real user id the process runs as, from /proc (Linux). */
  long uid() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
      if (line.startsWith("Uid:")) {
        return Long.parseLong(line.substring(4).strip().split("\\s+")[0]);
      }
    }
    throw new IOException("no Uid line for process " + process.pid());
  }

  /** The user the pod's process must run as here: the pod's when the tests run as root, else the tests' own. */
  static long expectedUid(LocalPod pod) {
    return runningAsRoot() ? pod.runAsUser() : new com.sun.security.auth.module.UnixSystem().getUid();
  }

  Future<Process> exit() {
    return Future.fromCompletionStage(process.onExit(), context);
  }

  String output() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  List<String> lines() {
    synchronized (output) {
      return List.copyOf(output);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
    reader.join(TimeUnit.SECONDS.toMillis(10));
  }

  private void readOutput() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (output) {
          output.add(line);
          for (Iterator<Watch> it = watches.iterator(); it.hasNext(); ) {
            Watch watch = it.next();
            Matcher m = watch.pattern().matcher(line);
            if (m.find()) {
              it.remove();
              context.runOnContext(v -> watch.promise().tryComplete(m));
            }
          }
        }
      }
    } catch (IOException e) {
      // The stream closes when the process ends; what was read is kept.
    } finally {
      String status = exitStatus();
      synchronized (output) {
        String all = status + ", output:\n" + String.join("\n", output);
        for (Watch watch : watches) {
          context.runOnContext(v -> watch.promise().tryFail(new AssertionError(
            "the process ended without printing /" + watch.pattern() + "/; " + all)));
        }
        watches.clear();
      }
    }
  }

  private String exitStatus() {
    try {
      return process.waitFor(10, TimeUnit.SECONDS) ? "exit status " + process.exitValue() : "still running";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static boolean runningAsRoot() {
    return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
  }
}
