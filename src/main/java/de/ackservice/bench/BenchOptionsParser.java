package de.ackservice.bench;

import de.ackservice.config.Framing;
import de.ackservice.protocol.AckText;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Turns {@code bench} arguments into {@link BenchOptions}. Options are {@code --name value} or
 * {@code --name=value}; every bad value, unknown option or contradictory combination is a
 * {@link BenchUsageException} whose message names the option.
 */
public final class BenchOptionsParser {

  static final int DEFAULT_CONNECTIONS = 100;
  static final int DEFAULT_SAW_SIZE = 16;
  static final int DEFAULT_PIPE_SIZE = 4;
  static final int DEFAULT_DEPTH = 16;
  /**
   * Two event loops drove our server and the C epoll server harder than one on a 2-core box shared with the
   * server (README, Performance); more than there are cores only adds switching.
   */
  static final int DEFAULT_EVENT_LOOPS = Math.min(2, Runtime.getRuntime().availableProcessors());
  static final int MAX_DEPTH = 4096;
  static final int MAX_SIZE = 1 << 20;
  /** The pre-encoded batch of {@code depth} messages is kept in memory: bound it. */
  static final long MAX_BATCH_BYTES = 64L << 20;
  private static final double MAX_SECONDS = 24 * 3600;
  private static final Set<String> OPTIONS = Set.of("--host", "--port", "--framing", "--connections", "--mode",
    "--depth", "--size", "--warmup", "--duration", "--messages", "--ramp", "--timeout", "--ack", "--event-loops",
    "--json");

  public static final String USAGE = """
    usage: java -jar ack-fat.jar bench [options]

    Opens connections to an ack server, sends messages and counts the acknowledgements. Prints a table on
    stdout; progress once a second on stderr when stderr is a terminal.

      --host ADDR          server address (127.0.0.1)
      --port N             server port (5000)
      --framing raw|line   raw: one 28-byte ack per message, no delimiter; line: one ack + "\\n" per line (raw)
      --connections N      connections (100)
      --mode saw|pipe      saw: stop-and-wait; pipe: --depth messages in flight per connection, line framing only (saw)
      --depth N            pipe: messages in flight per connection (16)
      --size BYTES         bytes per message on the wire, the "\\n" of line framing included (saw 16, pipe 4)
      --warmup SECONDS     traffic before the measured window, not counted (2)
      --duration SECONDS   length of the measured window (10)
      --messages N         measure exactly N messages instead of a duration
      --ramp SECONDS       spread the connection attempts evenly over this time; traffic starts when all are done (0)
      --timeout SECONDS    limit for one connect and for one message's answer (5)
      --ack TEXT           expected acknowledgement (Daten erfolgreich empfangen!)
      --event-loops N      client event loops (2, or 1 on a single core)
      --json FILE          also write the report as JSON to FILE
      --help               this text

    Exit status: 0 every measured message acknowledged and no error, 1 errors or failed connections (the report
    says which), 2 bad options.
    """;

  private BenchOptionsParser() {
  }

  /** Returns true when the arguments ask for the usage text. */
  public static boolean wantsHelp(String... args) {
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h")) {
        return true;
      }
    }
    return false;
  }

  public static BenchOptions parse(String... args) {
    Builder b = new Builder();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new BenchUsageException("unexpected argument '" + arg + "' (options start with --; see --help)");
      }
      String name;
      String value;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      } else {
        name = arg;
        if (i + 1 >= args.length) {
          throw new BenchUsageException(OPTIONS.contains(name) ? name + ": missing value"
            : "unknown option " + name + " (see --help)");
        }
        value = args[++i];
      }
      if (!seen.add(name)) {
        throw new BenchUsageException(name + ": given twice");
      }
      b.set(name, value);
    }
    return b.build(seen);
  }

  /** Collects values as they come; cross-option rules and defaults are applied in {@link #build}. */
  private static final class Builder {
    String host = "127.0.0.1";
    int port = 5000;
    Framing framing = Framing.RAW;
    int connections = DEFAULT_CONNECTIONS;
    Mode mode = Mode.SAW;
    int depth = DEFAULT_DEPTH;
    int size = -1;
    Duration warmup = Duration.ofSeconds(2);
    Duration duration = Duration.ofSeconds(10);
    long messages;
    Duration ramp = Duration.ZERO;
    String ack = AckText.DEFAULT;
    Path jsonFile;
    int eventLoops = DEFAULT_EVENT_LOOPS;
    Duration timeout = Duration.ofSeconds(5);

    void set(String name, String value) {
      switch (name) {
        case "--host" -> host = nonBlank(name, value);
        case "--port" -> port = (int) integer(name, value, 1, 65535);
        case "--framing" -> framing = choice(name, value, Framing.class);
        case "--connections" -> connections = (int) integer(name, value, 1, 1_000_000);
        case "--mode" -> mode = choice(name, value, Mode.class);
        case "--depth" -> depth = (int) integer(name, value, 1, MAX_DEPTH);
        case "--size" -> size = (int) integer(name, value, 1, MAX_SIZE);
        case "--warmup" -> warmup = seconds(name, value, true);
        case "--duration" -> duration = seconds(name, value, false);
        case "--messages" -> messages = integer(name, value, 1, Long.MAX_VALUE / 2);
        case "--ramp" -> ramp = seconds(name, value, true);
        case "--timeout" -> timeout = seconds(name, value, false);
        case "--ack" -> ack = value;
        case "--event-loops" -> eventLoops = (int) integer(name, value, 1, 256);
        case "--json" -> jsonFile = jsonFile(name, value);
        default -> throw new BenchUsageException("unknown option " + name + " (see --help)");
      }
    }

    BenchOptions build(Set<String> given) {
      if (given.contains("--duration") && given.contains("--messages")) {
        throw new BenchUsageException("--duration and --messages: give one of them, not both");
      }
      if (mode == Mode.PIPE && framing != Framing.LINE) {
        throw new BenchUsageException("--mode pipe needs --framing line: in raw framing the server acknowledges "
          + "every read, not every message, so messages in flight cannot be counted");
      }
      if (given.contains("--depth") && mode != Mode.PIPE) {
        throw new BenchUsageException("--depth: only with --mode pipe (stop-and-wait has one message in flight)");
      }
      if (size < 0) {
        size = mode == Mode.PIPE ? DEFAULT_PIPE_SIZE : DEFAULT_SAW_SIZE;
      }
      int inFlight = mode == Mode.PIPE ? depth : 1;
      if ((long) inFlight * size > MAX_BATCH_BYTES) {
        throw new BenchUsageException("--depth x --size: at most " + MAX_BATCH_BYTES + " bytes in flight per "
          + "connection, got " + inFlight + " x " + size);
      }
      AckText.Problem ackProblem = AckText.problem(ack, framing);
      if (ackProblem != null) {
        throw new BenchUsageException("--ack: " + ackProblem.rule());
      }
      return new BenchOptions(host, port, framing, connections, mode, inFlight, size, warmup,
        messages > 0 ? null : duration, messages, ramp, AckText.of(ack, framing), jsonFile, eventLoops, timeout);
    }
  }

  private static String nonBlank(String name, String value) {
    if (value.isBlank()) {
      throw new BenchUsageException(name + ": must not be empty");
    }
    return value.trim();
  }

  private static long integer(String name, String value, long min, long max) {
    long parsed;
    try {
      parsed = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new BenchUsageException(name + ": expected a whole number, got '" + value + "'");
    }
    if (parsed < min || parsed > max) {
      throw new BenchUsageException(name + ": must be between " + min + " and " + max + ", got " + parsed);
    }
    return parsed;
  }

  private static Duration seconds(String name, String value, boolean zeroAllowed) {
    double parsed;
    try {
      parsed = Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new BenchUsageException(name + ": expected seconds, e.g. 5 or 0.5, got '" + value + "'");
    }
    if (!(parsed >= 0) || parsed > MAX_SECONDS || (!zeroAllowed && parsed == 0)) {
      throw new BenchUsageException(name + ": must be " + (zeroAllowed ? "between 0" : "more than 0")
        + " and at most " + (long) MAX_SECONDS + " seconds, got " + value);
    }
    return Duration.ofNanos(Math.round(parsed * 1e9));
  }

  private static <E extends Enum<E>> E choice(String name, String value, Class<E> type) {
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      StringBuilder allowed = new StringBuilder();
      for (E constant : type.getEnumConstants()) {
        allowed.append(allowed.length() == 0 ? "" : " or ").append(constant.name().toLowerCase(Locale.ROOT));
      }
      throw new BenchUsageException(name + ": expected " + allowed + ", got '" + value + "'");
    }
  }

  private static Path jsonFile(String name, String value) {
    if (value.isBlank()) {
      throw new BenchUsageException(name + ": must name a file");
    }
    Path path = Path.of(value).toAbsolutePath();
    if (Files.isDirectory(path)) {
      throw new BenchUsageException(name + ": " + value + " is a directory");
    }
    if (path.getParent() != null && !Files.isDirectory(path.getParent())) {
      throw new BenchUsageException(name + ": the folder of " + value + " does not exist");
    }
    return path;
  }
}
