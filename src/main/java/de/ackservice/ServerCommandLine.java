package de.ackservice;

import java.util.Locale;

/**
 * The server's arguments: {@code [-conf FILE|JSON] [-instances N] [-options FILE|JSON] [-h]}, spelled as the Vert.x
 * launcher spelled them (one or two dashes, {@code -name value} or {@code -name=value}, any case), so that every
 * command line that worked with the launcher works unchanged.
 *
 * <p>Why not the launcher ({@code vertx-launcher-application}) any more: it parses its command line with picocli from
 * annotations, which cost about 0.2 s of CPU on the server's path to readiness (reflection, an annotation proxy per
 * annotation type, some 170 classes) for these three options (README "Start-up" has the measurement). Its other
 * options (clustering, worker and virtual-thread deployment, a main verticle's name) have no meaning for this server.
 *
 * @param conf      what {@code -conf} names (a file or inline JSON), or null: see {@code config.ConfigLoader}
 * @param instances {@code -instances}, or null; overrides the {@code instances} key
 * @param options   what {@code -options} names: Vert.x's own options ({@code VertxOptions}) as a JSON file or inline
 *                  JSON, or null
 * @param help      {@code -h}, {@code -help} or {@code --help}
 */
record ServerCommandLine(String conf, Integer instances, String options, boolean help) {

  static final String USAGE = """
    Usage: java -jar ack-fat.jar [server] [-conf FILE|JSON] [-instances N] [-options FILE|JSON]
    Runs the ack server.
      -conf, --conf FILE|JSON        the configuration: a JSON file, or the JSON itself; environment variables ACK_*
                                     and system properties -Dack.* override it (README.md, "Configuration")
      -instances, --instances N      server verticle instances, each on its own event loop; overrides the
                                     configuration's instances
      -options, --options FILE|JSON  Vert.x's own options (VertxOptions as JSON), e.g. '{"eventLoopPoolSize": 4}'
      -h, -help, --help              this text
    """;

  /** @throws IllegalArgumentException naming the argument that is not understood */
  static ServerCommandLine parse(String[] args) {
    String conf = null;
    Integer instances = null;
    String options = null;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("-")) {
        throw new IllegalArgumentException("Unexpected argument: '" + arg + "'");
      }
      String name = arg.substring(arg.startsWith("--") ? 2 : 1);
      String value = null;
      int equals = name.indexOf('=');
      if (equals > 0) {
        value = name.substring(equals + 1);
        name = name.substring(0, equals);
      }
      switch (name.toLowerCase(Locale.ROOT)) {
        case "h", "help" -> help = true;
        case "conf" -> conf = value != null ? value : valueAfter(args, ++i, arg);
        case "instances" -> instances = instances(value != null ? value : valueAfter(args, ++i, arg));
        case "options", "vertx-options" -> options = value != null ? value : valueAfter(args, ++i, arg);
        default -> throw new IllegalArgumentException("Unknown option: '" + arg + "'");
      }
    }
    return new ServerCommandLine(conf, instances, options, help);
  }

  private static String valueAfter(String[] args, int index, String option) {
    if (index >= args.length) {
      throw new IllegalArgumentException("Missing value for option '" + option + "'");
    }
    return args[index];
  }

  private static int instances(String value) {
    try {
      int instances = Integer.parseInt(value.trim());
      if (instances >= 1) {
        return instances;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("-instances must be a whole number of at least 1, not '" + value + "'");
  }
}
