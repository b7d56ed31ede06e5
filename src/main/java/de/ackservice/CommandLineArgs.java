package de.ackservice;

import java.util.Locale;

/**
 * The few launcher options we must see before the launcher does: the launcher would start with an empty
 * configuration when {@code -conf} cannot be parsed, so we read and validate it ourselves first.
 */
final class CommandLineArgs {

  private CommandLineArgs() {
  }

  /** The value of {@code -conf}/{@code --conf} (a file path or inline JSON), or null. */
  static String conf(String[] args) {
    return option(args, "conf");
  }

  static boolean hasInstances(String[] args) {
    return option(args, "instances") != null;
  }

  private static String option(String[] args, String name) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i].toLowerCase(Locale.ROOT);
      for (String spelling : new String[] {"-" + name, "--" + name}) {
        if (arg.equals(spelling) && i + 1 < args.length) {
          return args[i + 1];
        }
        if (arg.startsWith(spelling + "=")) {
          return args[i].substring(spelling.length() + 1);
        }
      }
    }
    return null;
  }
}
