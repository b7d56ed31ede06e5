package de.ackservice;

import de.ackservice.config.TestConfigs;
import de.ackservice.support.TestServers;
import de.ackservice.config.ServerConfig;
import de.ackservice.server.ServerState;
import de.ackservice.support.Conditions;
import de.ackservice.support.JarProcess;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
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

  /**
   * The client's logging is the JDK's, not logback: no logback class is loaded, Vert.x and Netty log through
   * java.util.logging, and an operator's logging.properties decides what shows (here everything, on stderr), while
   * stdout still carries the replies alone.
   */
  @Test
  void librariesLogThroughTheJdksLoggingAndNoLogbackIsLoaded(Vertx vertx) throws Exception {
    int port = startServer(vertx, "raw");
    Path classes = tmp.resolve("classes.txt");
    Path properties = tmp.resolve("logging.properties");
    Files.writeString(properties, "handlers=java.util.logging.ConsoleHandler\n.level=FINE\n"
      + "java.util.logging.ConsoleHandler.level=FINE\n");
    Run run = start(List.of("java", "-Xlog:class+load:file=" + classes, "-Djava.util.logging.config.file=" + properties,
      "-jar", System.getProperty("ackservice.jar"), "client", "127.0.0.1", String.valueOf(port)), Map.of(), "a\n");
    assertEquals(REPLY + "\n", run.out());
    assertEquals(0, run.status());
    assertTrue(run.err().contains("io.netty."), "Netty's debug lines on stderr: " + run.err());
    String loaded = Files.readString(classes);
    assertTrue(loaded.contains("io.vertx.core.logging.JULLogDelegate "), "Vert.x logs through java.util.logging");
    assertTrue(loaded.contains("io.netty.util.internal.logging.JdkLogger "), "Netty logs through java.util.logging");
    assertTrue(!loaded.contains("ch.qos.logback") && !loaded.contains("org.slf4j"), "no logback, no SLF4J loaded");
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

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void withReconnectAPipedFileOutlivesItsServerBeingDrainedAndReplacedByAnotherProcess(Vertx vertx)
    throws Exception {
    Map<String, String> lineServer = Map.of("ACK_FRAMING", "line", "ACK_SHUTDOWN_GRACE_MS", "300");
    JarProcess old = JarProcess.startServer(List.of(), lineServer);
    JarProcess replacement = null;
    try {
      int port = old.port();
      Path out = Files.createTempFile(tmp, "out", ".txt");
      Path err = Files.createTempFile(tmp, "err", ".txt");
      // The command line the rolling-update test uses; the replacement may take seconds to start on a busy machine.
      ProcessBuilder builder = new ProcessBuilder("java", "-jar", System.getProperty("ackservice.jar"), "client",
        "--reconnect", "127.0.0.1", String.valueOf(port))
        .redirectOutput(out.toFile())
        .redirectError(err.toFile());
      builder.environment().keySet().removeIf(name -> name.startsWith("ACK_"));
      builder.environment().putAll(Map.of("ACK_FRAMING", "line", "ACK_CLIENT_RECONNECT_ATTEMPTS", "60",
        "ACK_CLIENT_RECONNECT_MAX_BACKOFF_MS", "1000"));
      Process client = builder.start();
      processes.add(client);
      OutputStream stdin = client.getOutputStream();

      writeLines(stdin, 1, 1000);
      Conditions.awaitBlocking(vertx, "1000 replies before the drain", () -> lines(out) == 1000);
      old.sigterm();
      writeLines(stdin, 1001, 2000);
      assertEquals(0, old.awaitExit(60, TimeUnit.SECONDS), old.output());
      replacement = JarProcess.startServer(List.of(), Map.of("ACK_FRAMING", "line", "ACK_PORT", String.valueOf(port)));
      writeLines(stdin, 2001, 3000);
      stdin.close();

      assertTrue(client.waitFor(120, TimeUnit.SECONDS), Files.readString(err));
      String errors = Files.readString(err, StandardCharsets.UTF_8);
      assertEquals((REPLY + "\n").repeat(3000), Files.readString(out, StandardCharsets.UTF_8), errors);
      assertEquals(0, client.exitValue(), errors);
      assertTrue(errors.contains("Versuch 1 von 60"), errors);
      assertTrue(errors.contains("wieder verbunden"), errors);
    } finally {
      old.close();
      if (replacement != null) {
        replacement.close();
      }
    }
  }

  private static void writeLines(OutputStream stdin, int first, int last) throws IOException {
    StringBuilder lines = new StringBuilder();
    for (int i = first; i <= last; i++) {
      lines.append("Zeile ").append(i).append('\n');
    }
    stdin.write(lines.toString().getBytes(StandardCharsets.UTF_8));
    stdin.flush();
  }

  private static long lines(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).lines().count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
