package de.ackservice;

import java.util.Locale;

/**
 * The one launcher option we read ourselves, {@code -conf}: the launcher parses it too, but on a file it cannot
 * parse it logs and carries on with an empty configuration, and its public API does not give the value back for us
 * to read and validate. Every other option ({@code -instances} among them) is the launcher's alone.
 */
final class CommandLineArgs {

  private CommandLineArgs() {
  }

  /** The value of {@code -conf}/{@code --conf} (a file path or inline JSON), or null. */
  static String conf(String[] args) {
    return option(args, "conf");
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
