package de.ackservice.client;

import java.util.Locale;

/**
 * The client's arguments: {@code [-conf FILE|JSON] [HOST [PORT]]}. {@code -conf} works as for the server; HOST
 * and PORT, as the seed client takes them, override {@code clientHost} and {@code port} from any layer.
 *
 * @param conf what {@code -conf} names, or null
 * @param host the positional HOST, or null
 * @param port the positional PORT, or 0 when absent
 * @param help whether {@code -h}/{@code --help} was given
 * @param reconnect whether {@code --reconnect} was given: {@code clientReconnect} on, beating every layer
 */
record ClientCommandLine(String conf, String host, int port, boolean help, boolean reconnect) {

  static final String USAGE = "Aufruf: java -jar ack-fat.jar client [-conf DATEI|JSON] [--reconnect] [HOST [PORT]]\n"
    + "  Liest Zeilen von stdin, sendet jede an den Server und gibt je Zeile 'Serverantwort: …' aus.\n"
    + "  --reconnect: bei verlorener Verbindung neu verbinden und unbeantwortete Zeilen erneut senden\n"
    + "    (clientReconnect, nur mit framing=line).\n"
    + "  Einstellungen wie beim Server: -conf, ACK_* (z. B. ACK_CLIENT_HOST, ACK_PORT, ACK_FRAMING), -Dack.*.";

  static ClientCommandLine parse(String[] args) {
    String conf = null;
    String host = null;
    int port = 0;
    boolean help = false;
    boolean reconnect = false;
    int positional = 0;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String lower = arg.toLowerCase(Locale.ROOT);
      if (lower.equals("-h") || lower.equals("--help")) {
        help = true;
      } else if (lower.equals("--reconnect")) {
        reconnect = true;
      } else if (lower.equals("-conf") || lower.equals("--conf")) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(arg + " braucht einen Wert: eine Datei oder JSON");
        }
        conf = args[++i];
      } else if (lower.startsWith("-conf=") || lower.startsWith("--conf=")) {
        conf = arg.substring(arg.indexOf('=') + 1);
      } else if (arg.startsWith("-")) {
        throw new IllegalArgumentException("unbekannte Option " + arg);
      } else if (positional == 0) {
        host = arg;
        positional++;
      } else if (positional == 1) {
        port = parsePort(arg);
        positional++;
      } else {
        throw new IllegalArgumentException("zu viele Argumente: " + arg);
      }
    }
    return new ClientCommandLine(conf, host, port, help, reconnect);
  }

  private static int parsePort(String arg) {
    try {
      int port = Integer.parseInt(arg);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("PORT muss eine Zahl von 1 bis 65535 sein, nicht '" + arg + "'");
  }
}
