package de.ackservice;

import de.ackservice.support.Acks;
import de.ackservice.support.BlockingClient;
import de.ackservice.support.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Starting the packaged jar: the README's command, the layers of configuration, and start-up failures. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LaunchIT {

  @TempDir
  Path dir;

  @Test
  void laterLayersWinFileThenEnvironmentThenSystemProperties() throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{\"framing\": \"raw\", \"maxConnections\": 5, \"idleTimeoutMs\": 1000}");
    Map<String, String> env = Map.of("ACK_PORT", "0", "ACK_HOST", "127.0.0.1",
      "ACK_FRAMING", "line", "ACK_MAX_CONNECTIONS", "7");
    try (JarProcess server = JarProcess.start(List.of("-Dack.maxConnections=9"), List.of("-conf", file.toString()),
      env)) {
      String started = server.awaitLine(Pattern.compile("ack service listening on .*")).group();
      assertThat(started).contains("framing=line", "maxConnections=9", "idleTimeoutMs=1000");
      try (BlockingClient client = new BlockingClient(server.port())) {
        assertThat(client.send("zeile\n").read(Acks.LINE.length)).isEqualTo(Acks.LINE);
      }
    }
  }

  @Test
  void theInstancesOptionOverridesTheConfiguration() throws Exception {
    try (JarProcess server = JarProcess.startServer(List.of("-conf", "conf/config.json", "-instances", "3"),
      Map.of("ACK_INSTANCES", "1"))) {
      assertThat(server.output()).contains("instances=3");
      try (BlockingClient client = new BlockingClient(server.port())) {
        assertThat(client.send("x").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
      }
    }
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
    "ACK_PORT             | 70000 | port = '70000' (from environment variable ACK_PORT) must be between 0 and 65535",
    "ACK_FRAMING          | json  | framing = 'json' (from environment variable ACK_FRAMING) must be one of: raw, line",
    "ACK_OVER_LIMIT_POLICY| wait  | overLimitPolicy = 'wait' (from environment variable ACK_OVER_LIMIT_POLICY) must be one of: queue, reject",
    "ACK_MAX_CONNECTIONS  | -3    | maxConnections = '-3' (from environment variable ACK_MAX_CONNECTIONS) must be between 0",
  })
  void aBadValueStopsStartUpBeforeBindingNamingTheKey(String variable, String value, String message)
    throws Exception {
    try (JarProcess server = JarProcess.start(List.of(), List.of("-conf", "conf/config.json"),
      Map.of(variable, value))) {
      assertThat(server.awaitExit(60, TimeUnit.SECONDS)).isEqualTo(AckApplication.EXIT_BAD_CONFIG);
      assertThat(server.output()).contains(message).doesNotContain("listening on", "Succeeded in deploying");
    }
  }

  @Test
  void aMalformedFileStopsStartUp() throws Exception {
    Path file = dir.resolve("broken.json");
    Files.writeString(file, "{\"port\": 5000,,}");
    assertStartUpFails(List.of("-conf", file.toString()), file + " is not a valid JSON object");
  }

  @Test
  void anUnreadableFileStopsStartUp() throws Exception {
    Path missing = dir.resolve("missing.json");
    assertStartUpFails(List.of("-conf", missing.toString()), missing + ": the file does not exist or cannot be read");
  }

  @Test
  void aPortInUseGivesAClearMessageAndANonZeroExit() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
         JarProcess server = JarProcess.start(List.of(), List.of("-conf", "conf/config.json"),
           Map.of("ACK_HOST", "127.0.0.1", "ACK_PORT", String.valueOf(taken.getLocalPort())))) {
      assertThat(server.awaitExit(60, TimeUnit.SECONDS)).isEqualTo(AckApplication.EXIT_START_FAILED);
      assertThat(server.output())
        .contains("Cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": Address already in use");
    }
  }

  /** Vert.x's own options still reach the instance: one event loop carries both verticle instances. */
  @Test
  void theOptionsOptionShapesTheVertxInstance() throws Exception {
    try (JarProcess server = JarProcess.startServer(
      List.of("-conf", "conf/config.json", "-instances", "2", "-options", "{\"eventLoopPoolSize\": 1}"),
      Map.of())) {
      assertThat(server.output()).contains("instances=2");
      for (int connection = 0; connection < 2; connection++) {
        try (BlockingClient client = new BlockingClient(server.port())) {
          assertThat(client.send("x").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
        }
      }
      // Without the option each instance has an event loop of its own, and the two connections (accepted round
      // robin by the two instances) would be logged by two threads.
      Pattern opened = Pattern.compile("\\[(vert\\.x-eventloop-thread-\\d+)\\] AckConnection - connection opened");
      assertThat(server.awaitLine(opened).group(1)).isEqualTo("vert.x-eventloop-thread-0");
      assertThat(server.output().lines().filter(line -> opened.matcher(line).find()))
        .hasSize(2).allMatch(line -> line.contains("[vert.x-eventloop-thread-0]"));
    }
  }

  @Test
  void unusableOptionsStopStartUpBeforeBinding() throws Exception {
    assertStartUpFails(List.of("-conf", "conf/config.json", "-options", "{not json"),
      "-options {not json is not usable");
  }

  @Test
  void anArgumentNotUnderstoodIsNamedWithTheUsage() throws Exception {
    try (JarProcess server = JarProcess.start(List.of(), List.of("-conf", "conf/config.json", "-cluster"),
      Map.of("ACK_PORT", "0"))) {
      assertThat(server.awaitExit(60, TimeUnit.SECONDS)).isEqualTo(AckApplication.EXIT_USAGE);
      assertThat(server.output()).contains("Unknown option: '-cluster'", "Usage: java -jar ack-fat.jar [server]")
        .doesNotContain("listening on");
    }
  }

  private static void assertStartUpFails(List<String> args, String message) throws Exception {
    try (JarProcess server = JarProcess.start(List.of(), args, Map.of("ACK_PORT", "0"))) {
      assertThat(server.awaitExit(60, TimeUnit.SECONDS)).isEqualTo(AckApplication.EXIT_BAD_CONFIG);
      assertThat(server.output()).contains(message).doesNotContain("listening on");
    }
  }
}
