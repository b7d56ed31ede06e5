package de.ackservice.client;

import de.ackservice.config.ClientConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs a {@link ClientVerticle} on in-memory streams, as a pipe or a terminal would feed it, and collects its output. */
final class ClientRun {

  static final String REPLY = "Serverantwort: Daten erfolgreich empfangen!";

  /** How a session ended and what it printed. */
  record Result(ClientExit status, String out, String err) {

    List<String> outLines() {
      return out.lines().toList();
    }
  }

  private ClientRun() {
  }

  static Future<Result> script(Vertx vertx, ClientConfig config, String input) {
    return run(vertx, config, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), false);
  }

  static Future<Result> interactive(Vertx vertx, ClientConfig config, String input) {
    return run(vertx, config, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), true);
  }

  static Future<Result> run(Vertx vertx, ClientConfig config, InputStream in, boolean interactive) {
    return run(vertx, config, in, interactive, new ByteArrayOutputStream());
  }

  /** The same, printing into {@code out}, which a test may watch while the session runs (its methods are synchronized). */
  static Future<Result> run(Vertx vertx, ClientConfig config, InputStream in, boolean interactive,
                            ByteArrayOutputStream out) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ClientVerticle client = new ClientVerticle(config, new ClientIo(in,
      new PrintStream(out, false, StandardCharsets.UTF_8), new PrintStream(err, false, StandardCharsets.UTF_8),
      interactive));
    // Deployment fails when the server is unreachable; the exit status says so either way.
    return vertx.deployVerticle(client)
      .transform(deployed -> client.exitStatus())
      .map(status -> new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)));
  }

  /** {@code count} copies of the reply line, each with its newline. */
  static String replies(int count) {
    return (REPLY + "\n").repeat(count);
  }
}
