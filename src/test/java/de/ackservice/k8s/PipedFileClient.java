package de.ackservice.k8s;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

/**
 * A file piped through the service's own client as a user would do it behind a load balancer:
 * {@code java -jar ack-fat.jar client --reconnect 127.0.0.1 PORT} with {@code ACK_FRAMING=line}, stdout and stderr to
 * files. The file is fed into the client's stdin at a steady pace from a thread of the test, numbered lines
 * ({@code Zeile 1}, {@code Zeile 2}, ...), until {@link #endInput()}: so it is still being read, sent and answered
 * while the instances behind the balancer are replaced, however long that takes on a busy machine. Then stdin is
 * closed and the client finishes like at the end of any file.
 */
final class PipedFileClient implements AutoCloseable {

  /** The client's stderr line for each reconnection attempt. */
  private static final Pattern ATTEMPT = Pattern.compile("(?m)^Hinweis: .*neue Verbindung, Versuch \\d+ von \\d+");
  /** The client's stderr line when an attempt succeeded, with the lines it sends again. */
  private static final Pattern RECONNECTED = Pattern.compile(
    "(?m)^Hinweis: wieder verbunden \\(Versuch \\d+\\); (\\d+) Zeile\\(n\\) ohne Antwort werden erneut gesendet");

  /** What the client did with the file. */
  record Outcome(int exitStatus, long linesFed, List<String> replies, String stderr) {
    /** Reconnection attempts: one {@code Hinweis} line on stderr each. */
    long attempts() {
      return ATTEMPT.matcher(stderr).results().count();
    }

    /** Attempts that connected. */
    long reconnects() {
      return RECONNECTED.matcher(stderr).results().count();
    }

    /** Lines sent again after a reconnection (sent before, unanswered when the connection was lost). */
    long resentLines() {
      return RECONNECTED.matcher(stderr).results().mapToLong(m -> Long.parseLong(m.group(1))).sum();
    }
  }

  private final Process process;
  private final Path out;
  private final Path err;
  private final long maxLines;
  private final Thread feeder;
  private volatile boolean inputEnding;
  private volatile long fed;
  private volatile IOException feedError;

  private PipedFileClient(Process process, Path out, Path err, int linesPerSecond, long maxLines) {
    this.process = process;
    this.out = out;
    this.err = err;
    this.maxLines = maxLines;
    long pauseNanos = TimeUnit.SECONDS.toNanos(1) / linesPerSecond;
    this.feeder = new Thread(() -> feed(pauseNanos), "piped-file-feeder");
    feeder.setDaemon(true);
    feeder.start();
  }

  /**
   * Starts the client against {@code port} and the feeding of its stdin.
   *
   * @param maxLines a bound on the file's length; {@link #endInput()} must come before it is reached, else the file
   *                 was not in flight for as long as the test needed it (checked there)
   */
  static PipedFileClient start(int port, Map<String, String> clientEnvironment, int linesPerSecond, long maxLines)
      throws IOException {
    Path out = Files.createTempFile("piped-client", ".out");
    Path err = Files.createTempFile("piped-client", ".err");
    String jar = System.getProperty("ackservice.jar", ProjectFiles.ROOT.resolve("target/ack-fat.jar").toString());
    ProcessBuilder builder = new ProcessBuilder("java", "-jar", jar, "client", "--reconnect", "127.0.0.1",
      String.valueOf(port)).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("ACK_"));
    builder.environment().putAll(clientEnvironment);
    return new PipedFileClient(builder.start(), out, err, linesPerSecond, maxLines);
  }

  /** Lines written into the client's stdin so far. */
  long linesFed() {
    return fed;
  }

  /**
   * Ends the file: the feeder stops after the current line and closes stdin. Fails when the file had already
   * ended on its bound (it would not have been in flight all along) or could not be written.
   */
  void endInput() throws InterruptedException, IOException {
    boolean reachedBound = !feeder.isAlive() && fed >= maxLines;
    inputEnding = true;
    feeder.join(TimeUnit.SECONDS.toMillis(30));
    if (feeder.isAlive()) {
      throw new AssertionError("the feeder of the client's stdin did not stop within 30 s");
    }
    if (feedError != null) {
      throw new IOException("writing the client's stdin failed after " + fed + " lines; stderr:\n" + stderr(),
        feedError);
    }
    if (reachedBound) {
      throw new AssertionError("the piped file ended (" + maxLines + " lines) before the test was done with it: raise"
        + " its bound");
    }
  }

  /** Waits (bounded) for the client to end after {@link #endInput()} and collects what it printed. */
  Outcome awaitExit(Duration timeout) throws InterruptedException, IOException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the client did not end within " + timeout + " after its input ended; stderr:\n"
        + stderr());
    }
    return new Outcome(process.exitValue(), fed, Files.readAllLines(out, StandardCharsets.UTF_8), stderr());
  }

  private String stderr() throws IOException {
    return Files.readString(err, StandardCharsets.UTF_8);
  }

  private void feed(long pauseNanos) {
    try (OutputStream stdin = process.getOutputStream()) {
      long next = System.nanoTime();
      while (!inputEnding && fed < maxLines && process.isAlive()) {
        stdin.write(("Zeile " + (fed + 1) + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        fed++;
        next += pauseNanos;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait); // the pace of the file, not a synchronisation
        }
      }
    } catch (IOException e) {
      feedError = e;
    }
  }

  @Override
  public void close() throws IOException {
    inputEnding = true;
    process.destroyForcibly();
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
  }
}
