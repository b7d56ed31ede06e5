package de.ackservice.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines a child process (the jar, a container) writes, collected by a daemon thread as they come, so that a
 * test can wait for a line without blocking the process on a full pipe.
 */
public final class ProcessOutput {

  private final List<String> lines = new ArrayList<>();
  private volatile boolean ended;

  public ProcessOutput(InputStream stream, String threadName) {
    Thread pump = new Thread(() -> collect(stream), threadName);
    pump.setDaemon(true);
    pump.start();
  }

  /**
   * Waits (bounded) for a line matching {@code pattern}.
   *
   * @throws AssertionError naming {@code who} and the output so far, when the output ends or the time runs out first
   */
  public Matcher awaitLine(String who, Pattern pattern, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lines) {
      int checked = 0;
      while (true) {
        for (; checked < lines.size(); checked++) {
          Matcher matcher = pattern.matcher(lines.get(checked));
          if (matcher.find()) {
            return matcher;
          }
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0 || ended) {
          throw new AssertionError(who + ": no line matching /" + pattern + "/ "
            + (ended ? "before its output ended" : "within " + timeout) + "; output:\n" + String.join("\n", lines));
        }
        lines.wait(Math.min(left, 200));
      }
    }
  }

  /** Waits (bounded) until at least {@code count} lines contain {@code text}. */
  public void awaitLinesContaining(String who, String text, long count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lines) {
      while (linesContaining(text) < count) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0 || ended) {
          throw new AssertionError(who + ": fewer than " + count + " lines containing '" + text + "' "
            + (ended ? "before its output ended" : "within " + timeout) + "; output:\n" + String.join("\n", lines));
        }
        lines.wait(Math.min(left, 200));
      }
    }
  }

  /** How many lines so far contain {@code text}. */
  public long linesContaining(String text) {
    synchronized (lines) {
      return lines.stream().filter(line -> line.contains(text)).count();
    }
  }

  public String text() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  private void collect(InputStream stream) {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException ignored) {
      // The process is gone; what it said is collected.
    } finally {
      ended = true;
      synchronized (lines) {
        lines.notifyAll();
      }
    }
  }
}
