package de.ackservice.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fallback where io_uring is really refused: a child JVM runs under a seccomp filter that answers the io_uring
 * system calls with EPERM, as the default seccomp profiles of Docker, containerd and Podman do
 * ({@code perf/tools/no-io-uring.c}, compiled here with the C compiler; the test fails when there is none).
 */
class TransportRefusedTest {

  @TempDir
  static Path work;

  private static Path noIoUring;

  @BeforeAll
  static void compileTheSeccompWrapper() throws Exception {
    noIoUring = work.resolve("no-io-uring");
    Result cc = run(List.of("cc", "-O2", "-o", noIoUring.toString(), "perf/tools/no-io-uring.c"));
    assertThat(cc.exit).as("cc perf/tools/no-io-uring.c: %s", cc.output).isZero();
  }

  @Test
  void autoFallsBackToEpollAndSaysIoUringWasRefused() throws Exception {
    Result r = selectInChild("auto");
    assertThat(r.output.strip()).isEqualTo("transport: epoll (io_uring refused: Operation not permitted)");
    assertThat(r.exit).isZero();
  }

  @Test
  void anExplicitIoUringStopsWithExit78NamingTheKey() throws Exception {
    Result r = selectInChild("io_uring");
    assertThat(r.exit).isEqualTo(78);
    assertThat(r.output).startsWith("transport: io_uring is not available here: Operation not permitted");
  }

  @Test
  void withoutTheFilterAutoTakesIoUring() throws Exception {
    Result r = run(childJvm("auto"));
    assertThat(r.output.strip()).isEqualTo("transport: io_uring");
  }

  private static Result selectInChild(String value) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(noIoUring.toString());
    command.addAll(childJvm(value));
    return run(command);
  }

  private static List<String> childJvm(String value) {
    return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), PrintSelectedTransport.class.getName(), value);
  }

  private record Result(int exit, String output) {
  }

  private static Result run(List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile(work, "out", ".txt");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("did not finish within 60 s: " + command);
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }
}
