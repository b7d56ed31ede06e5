package de.ackservice;

import de.ackservice.config.TestConfigs;
import de.ackservice.support.TestServers;
import de.ackservice.config.ServerConfig;
import de.ackservice.server.ServerState;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client as a script uses it: the packaged jar as a process, stdin a pipe, against a server started by the
 * test. Checks stdout, stderr and the exit status, and that the seed client and ours say the same to our server.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientJarIT {

  private static final String REPLY = "Serverantwort: Daten erfolgreich empfangen!";

  @TempDir
  Path tmp;

  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void endProcesses() throws InterruptedException {
    for (Process process : processes) {
      if (process.isAlive()) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aPipedFileGetsOneReplyLinePerLineOnStdoutAndNothingElse(Vertx vertx) throws Exception {
    int port = startServer(vertx, "line");
    Run run = run(List.of("client", "-conf", "{\"port\": " + port + ", \"framing\": \"line\"}"), Map.of(),
      "eins\nzwei\n\nGrüße aus Köln 😀\n");
    assertEquals((REPLY + "\n").repeat(4), run.out());
    assertEquals("", run.err());
    assertEquals(0, run.status());
  }

  @Test
  void hostAndPortCanComeFromTheEnvironmentOrTheCommandLine(Vertx vertx) throws Exception {
    int port = startServer(vertx, "raw");
    Run fromEnvironment = run(List.of("client"),
      Map.of("ACK_CLIENT_HOST", "127.0.0.1", "ACK_PORT", String.valueOf(port)), "a\nb\n");
    assertEquals((REPLY + "\n").repeat(2), fromEnvironment.out());
    assertEquals(0, fromEnvironment.status());

    // Positional HOST PORT, like the seed client's, beat the environment.
    Run fromArguments = run(List.of("client", "127.0.0.1", String.valueOf(port)), Map.of("ACK_PORT", "1"), "a\n");
    assertEquals(REPLY + "\n", fromArguments.out());
    assertEquals(0, fromArguments.status());
  }

  @Test
  void anUnreachableServerExitsWithStatusOneAndTheSeedsMessage() throws Exception {
    int closedPort;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = free.getLocalPort();
    }
    Run run = run(List.of("client", "127.0.0.1", String.valueOf(closedPort)), Map.of(), "hallo\n");
    assertEquals("", run.out());
    assertTrue(run.err().startsWith("Fehler bei der Verbindung zum Server: Connection refused"), run.err());
    assertEquals(1, run.err().lines().count(), run.err());
    assertEquals(1, run.status());
  }

  @Test
  void aBadSettingExitsWith78AndNamesTheKey() throws Exception {
    Run run = run(List.of("client", "-conf", "{\"clientWindow\": 0}"), Map.of(), "");
    assertEquals("", run.out());
    assertTrue(run.err().contains("clientWindow = '0'"), run.err());
    assertEquals(78, run.status());
  }

  @Test
  void aServerErrorEndsWithItsStatusAfterTheRepliesThatCame(Vertx vertx) throws Exception {
    int port = startServer(vertx, "line", new JsonObject().put("maxLineBytes", 10));
    Run run = run(List.of("client", "-conf", "{\"port\": " + port + ", \"framing\": \"line\"}"), Map.of(),
      "kurz\n" + "viel zu lang\n");
    assertEquals(REPLY + "\n", run.out());
    assertEquals("Fehler: der Server hat Zeile 2 abgelehnt: ERROR line too long: the limit is 10 bytes "
      + "(Zeilen gesendet: 2, bestätigt: 1)\n", run.err());
    assertEquals(4, run.status());
  }

  @Test
  void theSeedClientAndOursSayTheSameToOurServer(Vertx vertx) throws Exception {
    int port = startServer(vertx, "raw");
    String input = "eins\nzwei\nGrüße aus Köln\nexit\nnicht gesendet\n";

    Run ours = run(List.of("client", "127.0.0.1", String.valueOf(port)), Map.of(), input);
    Run seed = start(List.of("python3", seedClient().toString(), "127.0.0.1", String.valueOf(port)),
      Map.of("PYTHONIOENCODING", "utf-8"),
      input);

    assertEquals(0, ours.status());
    assertEquals(0, seed.status());
    assertEquals((REPLY + "\n").repeat(3), ours.out());
    // The seed prompts even when stdin is a pipe; without its prompts, its output is ours.
    assertEquals(ours.out(), seed.out().replace(
      "Bitte geben Sie Daten zum Senden ein oder tippen Sie 'exit' zum Beenden: ", ""));
  }

  private int startServer(Vertx vertx, String framing) throws Exception {
    return startServer(vertx, framing, new JsonObject());
  }

  private int startServer(Vertx vertx, String framing, JsonObject extra) throws Exception {
    ServerState server = new ServerState(TestConfigs.server(new JsonObject()
      .put("host", "127.0.0.1").put("port", 0).put("instances", 1).put("framing", framing).mergeIn(extra)));
    TestServers.deploy(vertx, server).await(30, TimeUnit.SECONDS);
    return server.port();
  }

  /** Runs {@code java -jar ack-fat.jar ARGS} with {@code stdin} written to a pipe and closed. */
  private Run run(List<String> args, Map<String, String> env, String stdin) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("java", "-jar", System.getProperty("ackservice.jar")));
    command.addAll(args);
    return start(command, env, stdin);
  }

  private Run start(List<String> command, Map<String, String> env, String stdin)
    throws IOException, InterruptedException {
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command)
      .redirectOutput(out.toFile())
      .redirectError(err.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("ACK_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    processes.add(process);
    try (OutputStream in = process.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    if (!process.waitFor(45, TimeUnit.SECONDS)) {
      throw new AssertionError(command + " did not end within 45 s; stderr: " + Files.readString(err));
    }
    return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
      Files.readString(err, StandardCharsets.UTF_8));
  }

  private static Path seedClient() throws URISyntaxException {
    return Path.of(ClientJarIT.class.getResource("/seed/seed_client.py").toURI());
  }

  private record Run(int status, String out, String err) {
  }
}
