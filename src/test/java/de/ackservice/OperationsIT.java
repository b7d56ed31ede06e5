package de.ackservice;

import de.ackservice.support.Acks;
import de.ackservice.support.BlockingClient;
import de.ackservice.support.Http;
import de.ackservice.support.JarProcess;
import de.ackservice.support.PrometheusText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar as an operator meets it: curl on the management port shows live, ready and meaningful metrics
 * for the traffic it served, and with {@code LOG_FORMAT=json} every line of its output is a JSON object whose
 * connection lines carry their facts as fields.
 */
class OperationsIT {

  private static final Pattern MANAGEMENT = Pattern.compile("management endpoint listening on \\S+:(\\d+) ");

  @Test
  void aRunningServerAnswersHealthAndMetricsAndLogsJson() throws Exception {
    try (JarProcess server = JarProcess.startServer(List.of("-conf", "conf/config.json"),
      Map.of("LOG_FORMAT", "json"))) {
      int port = server.port();
      int management = Integer.parseInt(server.awaitLine(MANAGEMENT).group(1));

      Http.Response live = Http.get(management, "/health/live");
      Http.Response ready = Http.get(management, "/health/ready");
      int localPort;
      try (BlockingClient client = new BlockingClient(port)) {
        localPort = client.socket().getLocalPort();
        assertThat(client.send("hallo").read(Acks.RAW.length)).isEqualTo(Acks.RAW);
      }
      server.awaitLine(Pattern.compile("\"formattedMessage\":\"connection closed\""));
      PrometheusText metrics = PrometheusText.parse(Http.get(management, "/metrics").body());

      assertThat(live.status()).isEqualTo(200);
      assertThat(ready.status()).isEqualTo(200);
      assertThat(metrics.value("ack_acks_sent_total")).isEqualTo(1);
      assertThat(metrics.value("ack_messages_received_total{framing=\"raw\"}")).isEqualTo(1);
      assertThat(metrics.value("vertx_net_server_bytes_read_total")).isEqualTo(5);
      assertThat(metrics.value("vertx_net_server_bytes_written_total")).isEqualTo(Acks.RAW.length);
      assertThat(metrics.value("vertx_net_server_active_connections")).isEqualTo(0);
      assertThat(metrics.value("ack_ready")).isEqualTo(1);
      // The JVM's meters are bound just after the service is ready, off the event loop: wait for them (bounded).
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!metrics.has("jvm_threads_live_threads") && System.nanoTime() < deadline) {
        metrics = PrometheusText.parse(Http.get(management, "/metrics").body());
      }
      assertThat(metrics.value("jvm_threads_live_threads")).isPositive();

      server.sigterm();
      assertThat(server.awaitExit(60, TimeUnit.SECONDS)).isEqualTo(0);

      List<String> lines = server.output().lines().toList();
      JsonObject closed = null;
      for (String line : lines) {
        JsonObject json = new JsonObject(line); // fails on any line that is not one JSON object
        assertThat(json.getString("level")).isNotEmpty();
        assertThat(json.getLong("timestamp")).isPositive();
        if ("connection closed".equals(json.getString("formattedMessage"))) {
          closed = json;
        }
      }
      assertThat(closed).as("a connection closed line in:\n" + server.output()).isNotNull();
      assertThat(closed.getString("level")).isEqualTo("INFO");
      assertThat(closed.getString("loggerName")).isEqualTo("de.ackservice.server.AckConnection");
      Map<String, String> fields = fields(closed.getJsonArray("kvpList"));
      assertThat(fields).containsEntry("remote", "127.0.0.1:" + localPort)
        .containsEntry("bytes", "5")
        .containsEntry("messages", "1")
        .containsEntry("reason", "closed by client")
        .containsKey("durationMs");
    }
  }

  /** logback's kvpList is an array of one-field objects. */
  private static Map<String, String> fields(JsonArray kvpList) {
    Map<String, String> fields = new HashMap<>();
    for (int i = 0; i < kvpList.size(); i++) {
      kvpList.getJsonObject(i).forEach(field -> fields.put(field.getKey(), String.valueOf(field.getValue())));
    }
    return fields;
  }

  @Test
  void aManagementPortInUseStopsStartUpBeforeTheServicePortBinds() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
         JarProcess server = JarProcess.start(List.of(), List.of("-conf", "conf/config.json"),
           Map.of("ACK_HOST", "127.0.0.1", "ACK_PORT", "0", "ACK_MANAGEMENT_PORT",
             String.valueOf(taken.getLocalPort())))) {
      assertThat(server.awaitExit(60, TimeUnit.SECONDS)).isEqualTo(15);
      assertThat(server.output())
        .contains("Cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": Address already in use (another "
          + "process holds the port: stop it or set 'managementPort' to another value)")
        .doesNotContain("ack service listening on");
    }
  }

  @Test
  void unusableTlsFilesAreAConfigurationError(@TempDir Path dir) throws Exception {
    Path notPem = Files.writeString(dir.resolve("server.crt"), "no certificate here\n");
    try (JarProcess server = JarProcess.start(List.of(), List.of("-conf", "conf/config.json"),
      Map.of("ACK_PORT", "0", "ACK_TLS_CERT_PATH", notPem.toString(), "ACK_TLS_KEY_PATH", notPem.toString()))) {
      assertThat(server.awaitExit(60, TimeUnit.SECONDS)).isEqualTo(AckApplication.EXIT_BAD_CONFIG);
      assertThat(server.output())
        .contains("tlsCertPath = '" + notPem + "' and tlsKeyPath = '" + notPem + "' cannot be read as a PEM")
        .doesNotContain("listening on");
    }
    try (JarProcess server = JarProcess.start(List.of(), List.of("-conf", "conf/config.json"),
      Map.of("ACK_PORT", "0", "ACK_TLS_CERT_PATH", dir.resolve("missing.crt").toString()))) {
      assertThat(server.awaitExit(60, TimeUnit.SECONDS)).isEqualTo(AckApplication.EXIT_BAD_CONFIG);
      assertThat(server.output()).contains("tlsCertPath = '" + dir.resolve("missing.crt")
        + "' (from environment variable ACK_TLS_CERT_PATH) must name a readable file");
    }
  }
}
