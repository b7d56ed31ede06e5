package de.ackservice.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command-line tool the tests drive (podman, haproxy, promtool, yamllint), run to completion with a deadline.
 * A tool missing from the PATH fails the test with the way to get it (.ci/run installs it), never skips it.
 */
public final class ExternalTool {

  /** What a finished command left behind. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    public Result requireSuccess() {
      if (exitCode != 0) {
        throw new AssertionError(String.join(" ", command) + " exited " + exitCode + "\nstdout:\n" + stdout
          + "\nstderr:\n" + stderr);
      }
      return this;
    }
  }

  private ExternalTool() {
  }

  /** The tool's full path; an AssertionError naming the Debian package when it is not installed. */
  public static String require(String name, String debianPackage) {
    String path = System.getenv("PATH");
    for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin")) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new AssertionError(name + " is not installed: `bash .ci/run` installs it (Debian package "
      + debianPackage + ")");
  }

  public static Result run(List<String> command, Duration timeout) throws IOException, InterruptedException {
    return run(command, timeout, null, null);
  }

  /** Runs the command in {@code directory} (null: the tests' own) with {@code stdin} (null: none) as its input. */
  public static Result run(List<String> command, Duration timeout, Path directory, byte[] stdin)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("tool", ".out");
    Path err = Files.createTempFile("tool", ".err");
    ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
      .redirectOutput(out.toFile())
      .redirectError(err.toFile());
    if (directory != null) {
      builder.directory(directory.toFile());
    }
    if (stdin == null) {
      builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
    Process process = builder.start();
    try {
      if (stdin != null) {
        try (var in = process.getOutputStream()) {
          in.write(stdin);
        }
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + "; stderr:\n"
          + Files.readString(err, StandardCharsets.UTF_8));
      }
      return new Result(List.copyOf(command), process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      process.destroyForcibly();
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
