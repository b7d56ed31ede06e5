package de.ackservice;

import de.ackservice.support.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The seed's own Python client, unchanged, against the packaged server. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SeedCompatibilityIT {

  private static final Path SEED_CLIENT = Path.of("src", "test", "resources", "seed", "seed_client.py");
  private static final String PROMPT = "Bitte geben Sie Daten zum Senden ein oder tippen Sie 'exit' zum Beenden: ";
  private static final String REPLY = "Serverantwort: Daten erfolgreich empfangen!";

  @Test
  void theSeedClientGetsItsTwoRepliesAndExitsCleanly() throws Exception {
    try (JarProcess server = JarProcess.startServer(List.of("-conf", "conf/config.json"), Map.of())) {
      Process client = seedClient(server.port());
      write(client, "hallo\nwelt\nexit\n");
      String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(client.exitValue()).isZero();
      assertThat(out).isEqualTo(PROMPT + REPLY + "\n" + PROMPT + REPLY + "\n" + PROMPT);
    }
  }

  @Test
  void withALimitOfOneTheSecondSeedClientWaitsForTheFirstLikeTheSeedSingleUserServer() throws Exception {
    try (JarProcess server = JarProcess.startServer(List.of("-conf", "conf/config.json"),
      Map.of("ACK_MAX_CONNECTIONS", "1"))) {
      int port = server.port();
      Process first = seedClient(port);
      Process second = null;
      try {
        write(first, "erster\n");
        server.awaitLine(Pattern.compile("connection opened"));
        second = seedClient(port);
        write(second, "zweiter\nexit\n");
        server.awaitLine(Pattern.compile("connection queued .* waiting=1"));
        assertThat(second.isAlive()).as("the second client waits for its reply").isTrue();

        write(first, "exit\n");
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String secondOut = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(secondOut).contains(REPLY);
        assertThat(new String(first.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains(REPLY);
      } finally {
        first.destroyForcibly();
        if (second != null) {
          second.destroyForcibly();
        }
      }
    }
  }

  private static Process seedClient(int port) throws IOException {
    return new ProcessBuilder("python3", SEED_CLIENT.toString(), "127.0.0.1", String.valueOf(port))
      .redirectError(ProcessBuilder.Redirect.INHERIT)
      .start();
  }

  private static void write(Process process, String input) throws IOException {
    OutputStream stdin = process.getOutputStream();
    stdin.write(input.getBytes(StandardCharsets.UTF_8));
    stdin.flush();
  }
}
