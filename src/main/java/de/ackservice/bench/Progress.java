package de.ackservice.bench;

/**
 * One status line's worth of a running benchmark, taken once a second.
 *
 * @param answersPerSecond answers (acknowledgements and wrong lines) received since the previous status, per second
 * @param active           connections still running
 */
public record Progress(double elapsedSeconds, String phase, double answersPerSecond, long active, long errors) {

  /** Receives the status once a second while a run lasts. */
  public interface Listener {
    void onProgress(Progress progress);
  }

  public String line() {
    return String.format(java.util.Locale.ROOT, "bench %6.1f s  %-8s %,12.0f answers/s  %,7d connections active  %,d errors",
      elapsedSeconds, phase, answersPerSecond, active, errors);
  }
}
