package de.ackservice.config;

import de.ackservice.transport.TransportException;
import de.ackservice.transport.TransportPreference;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What one key accepts, and the typed value it becomes. A value arrives as JSON from the config file, or as text
 * from an environment variable or a system property; both are accepted wherever they mean the same thing.
 * A value that breaks the rule throws {@link IllegalArgumentException} whose message is the rule ("must be between
 * 0 and 65535"), which {@link ConfigValues} turns into a {@link ConfigException} naming key, value and layer.
 */
@FunctionalInterface
public interface Rule {

  Object parse(Object raw);

  /** A whole number in {@code [min, max]}. */
  static Rule integer(int min, int max) {
    return raw -> {
      long parsed;
      if (raw instanceof Number number && !(raw instanceof Double || raw instanceof Float)) {
        parsed = number.longValue();
      } else {
        try {
          parsed = Long.parseLong(raw.toString().trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("must be a whole number between " + min + " and " + max);
        }
      }
      if (parsed < min || parsed > max) {
        throw new IllegalArgumentException("must be between " + min + " and " + max);
      }
      return (int) parsed;
    };
  }

  /** A number in {@code [min, max]}, fractions allowed. */
  static Rule decimal(double min, double max) {
    return raw -> {
      double parsed;
      if (raw instanceof Number number) {
        parsed = number.doubleValue();
      } else {
        try {
          parsed = Double.parseDouble(raw.toString().trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("must be a number between " + min + " and " + max);
        }
      }
      if (!(parsed >= min && parsed <= max)) {
        throw new IllegalArgumentException("must be between " + min + " and " + max);
      }
      return parsed;
    };
  }

  static Rule flag() {
    return raw -> {
      if (raw instanceof Boolean bool) {
        return bool;
      }
      String text = raw.toString().trim();
      if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
        return Boolean.parseBoolean(text);
      }
      throw new IllegalArgumentException("must be true or false");
    };
  }

  /** Any text, as given (the acknowledgement's own rules depend on the framing: see {@code AckText}). */
  static Rule text() {
    return Object::toString;
  }

  /** A host name or address, trimmed: the one host check of the server, the management endpoint and the client. */
  static Rule address(String whatFor) {
    return raw -> {
      String host = raw.toString().trim();
      if (host.isEmpty()) {
        throw new IllegalArgumentException("must name " + whatFor);
      }
      return host;
    };
  }

  /** One of the enum's constants, named in any case. */
  static <E extends Enum<E>> Rule choice(Class<E> type) {
    return raw -> {
      for (E candidate : type.getEnumConstants()) {
        if (candidate.name().equalsIgnoreCase(raw.toString().trim())) {
          return candidate;
        }
      }
      throw new IllegalArgumentException("must be one of: " + Arrays.stream(type.getEnumConstants())
        .map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    };
  }

  /** A {@link TransportPreference}: {@code auto}, {@code io_uring} (or {@code io-uring}), {@code epoll}, {@code nio}. */
  static Rule transport() {
    return raw -> {
      try {
        return TransportPreference.parse("transport", raw.toString());
      } catch (TransportException e) {
        throw new IllegalArgumentException("must be one of: auto, io_uring, epoll, nio");
      }
    };
  }

  /**
   * A path to a readable file, trimmed, or "" for none. Checked here so that the error names where the path came
   * from; the file's content is checked by whoever reads it.
   */
  static Rule readableFileOrEmpty() {
    return raw -> {
      String path = raw.toString().trim();
      if (!path.isEmpty() && !Files.isReadable(Path.of(path))) {
        throw new IllegalArgumentException("must name a readable file");
      }
      return path;
    };
  }
}
