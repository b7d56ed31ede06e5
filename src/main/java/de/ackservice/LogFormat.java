package de.ackservice;

import ch.qos.logback.core.PropertyDefinerBase;

import java.util.Locale;

/**
 * Chooses the log format for {@link ServiceLogging} from the environment variable (or system property)
 * {@code LOG_FORMAT}:
 * {@code json} for one JSON object per line (clusters, log collectors), anything else, or nothing, for the plain
 * text that people read. An unknown value is a warning on the console and falls back to text, rather than leaving
 * the service without logs.
 */
public final class LogFormat extends PropertyDefinerBase {

  static final String VARIABLE = "LOG_FORMAT";

  @Override
  public String getPropertyValue() {
    String value = System.getProperty(VARIABLE, System.getenv(VARIABLE));
    String format = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    if (format.equals("json")) {
      return "json";
    }
    if (!format.isEmpty() && !format.equals("text")) {
      addWarn(VARIABLE + "=" + value + " is neither 'text' nor 'json': logging as text");
    }
    return "text";
  }
}
