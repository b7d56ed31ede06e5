package de.ackservice;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code perf/tools/no-io-uring.c} compiled for a test: runs a command with the io_uring system calls refused, as
 * container runtimes' default seccomp profiles do. Fails (does not skip) when there is no C compiler.
 */
final class SeccompWrapper {

  private SeccompWrapper() {
  }

  static Path compile(Path dir) throws Exception {
    Path binary = dir.resolve("no-io-uring");
    Path log = dir.resolve("cc.log");
    Process cc = new ProcessBuilder("cc", "-O2", "-o", binary.toString(), "perf/tools/no-io-uring.c")
      .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!cc.waitFor(60, TimeUnit.SECONDS)) {
      cc.destroyForcibly();
      throw new AssertionError("cc perf/tools/no-io-uring.c did not finish within 60 s");
    }
    if (cc.exitValue() != 0) {
      throw new AssertionError("cc perf/tools/no-io-uring.c failed: " + Files.readString(log));
    }
    return binary;
  }
}
