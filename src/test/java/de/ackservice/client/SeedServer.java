package de.ackservice.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The seed's threaded Python server, verbatim from {@code src/test/resources/seed/}, as a process on a free port.
 * The seed takes a port but does not say which one it got for port 0, so a few lines of Python import it,
 * make {@code listen} report the bound port on stderr, and start it on port 0. Its own prints go nowhere.
 */
final class SeedServer implements AutoCloseable {

  private static final String START = String.join("\n",
    "import socket, sys",
    "sys.path.insert(0, sys.argv[1])",
    "import seed_server_threaded",
    "listen = socket.socket.listen",
    "def listen_and_report(self, *args):",
    "    listen(self, *args)",
    "    print('PORT', self.getsockname()[1], file=sys.stderr, flush=True)",
    "socket.socket.listen = listen_and_report",
    "seed_server_threaded.start_server('127.0.0.1', 0)");

  private final Process process;
  private final int port;

  private SeedServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static SeedServer start() throws IOException, URISyntaxException {
    Path seedDir = Path.of(SeedServer.class.getResource("/seed/seed_server_threaded.py").toURI()).getParent();
    Process process = new ProcessBuilder("python3", "-c", START, seedDir.toString())
      .redirectOutput(ProcessBuilder.Redirect.DISCARD)
      .start();
    try {
      BufferedReader stderr = new BufferedReader(new InputStreamReader(process.getErrorStream(),
        StandardCharsets.UTF_8));
      StringBuilder seen = new StringBuilder();
      for (int i = 0; i < 50; i++) {
        String line = stderr.readLine();
        if (line == null) {
          break;
        }
        if (line.startsWith("PORT ")) {
          return new SeedServer(process, Integer.parseInt(line.substring("PORT ".length()).trim()));
        }
        seen.append(line).append('\n');
      }
      throw new IllegalStateException("the seed server did not report its port; it said:\n" + seen);
    } catch (RuntimeException | IOException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  int port() {
    return port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
