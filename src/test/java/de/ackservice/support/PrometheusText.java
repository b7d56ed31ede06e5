package de.ackservice.support;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The samples of a Prometheus text exposition, by series as printed: {@code name} or {@code name{label="v",...}}.
 * Enough for tests that look numbers up; comments and blank lines are skipped.
 */
public final class PrometheusText {

  private final Map<String, Double> samples;
  private final String text;

  private PrometheusText(Map<String, Double> samples, String text) {
    this.samples = samples;
    this.text = text;
  }

  public static PrometheusText parse(String text) {
    Map<String, Double> samples = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return new PrometheusText(samples, text);
  }

  /** The value of one series; fails, showing the whole exposition, when it is absent. */
  public double value(String series) {
    Double value = samples.get(series);
    if (value == null) {
      throw new AssertionError("no series " + series + " in:\n" + text);
    }
    return value;
  }

  public boolean has(String series) {
    return samples.containsKey(series);
  }
}
