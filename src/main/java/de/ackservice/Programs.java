package de.ackservice;

/** What {@code java -jar ack-fat.jar --help} prints: the jar's three programs and where each one's options are. */
final class Programs {

  static final String USAGE = """
    ack service: one jar, three programs.

      java -jar ack-fat.jar [server] [-conf FILE|JSON] [-instances N] [-options FILE|JSON]
          the server: answers every message on its TCP port with the acknowledgement (the default program)
      java -jar ack-fat.jar client [-conf FILE|JSON] [--reconnect] [HOST [PORT]]
          the client: sends the lines of stdin to a server and prints its replies
      java -jar ack-fat.jar bench [options]
          the load generator: measures a server's acknowledgements per second and their latency

    Each program's options:
      java -jar ack-fat.jar server --help
      java -jar ack-fat.jar client --help
      java -jar ack-fat.jar bench --help
    Configuration keys (for -conf, ACK_* environment variables, -Dack.* properties): README.md, "Configuration".
    """;

  private Programs() {
  }
}
