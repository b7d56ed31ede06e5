package de.ackservice.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerConfigTest {

  private static final Path SHIPPED = Path.of("conf", "config.json");

  @Test
  void theShippedFileListsEveryKeyWithItsDefault() throws Exception {
    JsonObject shipped = new JsonObject(Files.readString(SHIPPED));
    List<String> shippedKeys = new ArrayList<>(shipped.fieldNames());
    assertThat(shippedKeys).containsExactlyElementsOf(Arrays.stream(ConfigKey.values()).map(ConfigKey::key).toList());
    assertThat(ConfigKey.values()).allSatisfy(key ->
      assertThat(shipped.getValue(key.key())).as(key.key()).isEqualTo(key.defaultValue()));

    JsonObject allDefaults = new JsonObject();
    assertThat(TestConfigs.server(shipped)).isEqualTo(TestConfigs.server(allDefaults));
    assertThat(TestConfigs.client(shipped)).isEqualTo(TestConfigs.client(allDefaults));
  }

  @Test
  void theReadmeDocumentsEveryKey() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    assertThat(ConfigKey.values()).allSatisfy(key -> assertThat(readme).contains("| `" + key.key() + "` |"));
    // The table itself, row by row, in the table's order: name, default as README writes it, meaning.
    List<String> rows = readme.lines().filter(line -> line.startsWith("| `")).toList();
    List<String> expected = Arrays.stream(ConfigKey.values())
      .map(key -> "| `" + key.key() + "` | `" + readmeDefault(key.defaultValue()) + "` | " + key.meaning() + " |")
      .toList();
    assertThat(rows).containsSubsequence(expected);
    int first = rows.indexOf(expected.get(0));
    assertThat(rows.subList(first, first + expected.size())).containsExactlyElementsOf(expected);
  }

  private static String readmeDefault(Object value) {
    return "".equals(value) ? "\"\"" : value.toString();
  }

  @Test
  void defaultsAreTheSeedServersBehaviour() {
    ServerConfig defaults = TestConfigs.server(new JsonObject());
    assertThat(defaults.host()).isEqualTo("0.0.0.0");
    assertThat(defaults.port()).isEqualTo(5000);
    assertThat(defaults.framing()).isEqualTo(Framing.RAW);
    assertThat(defaults.ack()).isEqualTo("Daten erfolgreich empfangen!");
    assertThat(defaults.instances()).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    assertThat(defaults.maxConnections()).isZero();
    assertThat(defaults.idleTimeoutMs()).isZero();
  }

  @Test
  void valuesFromEnvironmentAndPropertiesArriveAsTextAndAreParsed() {
    JsonObject merged = new JsonObject().put("ACK_PORT", "6000").put("ack.framing", "LINE")
      .put("ACK_MAX_CONNECTIONS", " 12 ");
    ServerConfig config = ServerConfig.from(new ConfigValues(merged));
    assertThat(config.port()).isEqualTo(6000);
    assertThat(config.framing()).isEqualTo(Framing.LINE);
    assertThat(config.maxConnections()).isEqualTo(12);
  }

  @Test
  void laterLayersWinAndTheErrorNamesTheLayerTheBadValueCameFrom() {
    JsonObject merged = new JsonObject().put("port", 1).put("ACK_PORT", "2").put("ack.port", "3");
    assertThat(ServerConfig.from(new ConfigValues(merged)).port()).isEqualTo(3);
    merged.remove("ack.port");
    assertThat(ServerConfig.from(new ConfigValues(merged)).port()).isEqualTo(2);

    merged.put("ACK_PORT", "zwei");
    assertThatThrownBy(() -> ServerConfig.from(new ConfigValues(merged)))
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining("port = 'zwei'")
      .hasMessageContaining("environment variable ACK_PORT");
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
    "port              | 70000   | must be between 0 and 65535",
    "port              | -1      | must be between 0 and 65535",
    "port              | 50.5    | whole number",
    "framing           | lines   | must be one of: raw, line",
    "overLimitPolicy   | drop    | must be one of: queue, reject",
    "maxConnections    | -1      | must be between 0",
    "idleTimeoutMs     | -5      | must be between 0",
    "shutdownGraceMs   | -5      | must be between 0",
    "maxLineBytes      | 0       | must be between 1",
    "instances         | -2      | must be between 0",
    "writeQueueMaxBytes| 10      | must be between 1024",
    "host              | ' '     | must name an address",
    "ack               | ''      | must be between 1 and 4096 bytes",
    "managementPort    | -2      | must be between -1 and 65535",
    "managementHost    | ' '     | must name an address",
    "metrics           | yes     | must be true or false",
    "proxyProtocol     | 1       | must be true or false",
    "tlsClientAuth     | always  | must be one of: none, request, required",
    "tlsReloadMs       | -1      | must be between 0",
    "tlsCertPath       | /nonexistent/server.crt | must name a readable file",
    "maxConnectionsPerClient | -1 | must be between 0 and 10000000",
    "maxQueuedConnections | -1   | must be between 0 and 10000000",
    "writeStallTimeoutMs | -5    | must be between 0",
    "handshakeTimeoutMs | 0      | must be between 100 and 600000",
    "overloadMemoryFraction | 1.5 | must be between 0.0 and 0.99",
    "overloadMemoryFraction | viel | must be a number",
    "tcpKeepAlive      | ja      | must be true or false",
    "tcpKeepAliveIdleSeconds | 0 | must be between 1 and 32767",
    "tcpKeepAliveIntervalSeconds | 40000 | must be between 1 and 32767",
    "tcpKeepAliveCount | 128     | must be between 1 and 127",
    "eventLoopSpinMicros | 1001  | must be between 0 and 1000",
    "eventLoopSpinMicros | -1    | must be between 0 and 1000",
  })
  void aBadValueIsRejectedWithAMessageNamingKeyAndValue(String key, String value, String rule) {
    JsonObject config = new JsonObject().put(key, value);
    assertThatThrownBy(() -> TestConfigs.server(config))
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining(key + " = '" + value + "'")
      .hasMessageContaining(rule);
  }

  @Test
  void overloadKeysHaveTheirDefaultsAndAreRead() {
    ServerConfig defaults = TestConfigs.server(new JsonObject());
    assertThat(defaults.maxConnectionsPerClient()).isZero();
    assertThat(defaults.maxQueuedConnections()).isZero();
    assertThat(defaults.writeStallTimeoutMs()).isZero();
    assertThat(defaults.handshakeTimeoutMs()).isEqualTo(10_000);
    assertThat(defaults.overloadMemoryFraction()).isEqualTo(0.85);
    assertThat(defaults.keepAlive()).isEqualTo(new KeepAliveConfig(false, 60, 10, 6));
    ServerConfig set = TestConfigs.server(new JsonObject().put("overloadMemoryFraction", "0.5")
      .put("tcpKeepAlive", true).put("tcpKeepAliveCount", 3).put("maxConnectionsPerClient", 20)
      .put("maxQueuedConnections", 7).put("writeStallTimeoutMs", 1500));
    assertThat(set.overloadMemoryFraction()).isEqualTo(0.5);
    assertThat(set.keepAlive()).isEqualTo(new KeepAliveConfig(true, 60, 10, 3));
    assertThat(set.maxConnectionsPerClient()).isEqualTo(20);
    assertThat(set.maxQueuedConnections()).isEqualTo(7);
    assertThat(set.writeStallTimeoutMs()).isEqualTo(1500);
  }

  @Test
  void anAckWithALineBreakIsRejectedInLineFraming() {
    JsonObject config = new JsonObject().put("framing", "line").put("ack", "two\nlines");
    assertThatThrownBy(() -> TestConfigs.server(config))
      .hasMessageContaining("ack = 'two\nlines'")
      .hasMessageContaining("line break");
  }

  @Test
  void environmentNamesAreUpperSnakeCase() {
    assertThat(ConfigKey.MAX_LINE_BYTES.envName()).isEqualTo("ACK_MAX_LINE_BYTES");
    assertThat(ConfigKey.PORT.envName()).isEqualTo("ACK_PORT");
    assertThat(ConfigKey.MAX_LINE_BYTES.sysName()).isEqualTo("ack.maxLineBytes");
  }

  @Test
  void operationsDefaultsAreSafe() {
    ServerConfig defaults = TestConfigs.server(new JsonObject());
    assertThat(defaults.management()).isEqualTo(new ManagementConfig("0.0.0.0", 9090, true));
    assertThat(defaults.tls().enabled()).isFalse();
    assertThat(defaults.proxyProtocol()).isFalse();
    assertThat(TestConfigs.server(new JsonObject().put("managementPort", -1)).management().metricsEnabled())
      .as("no endpoint, no metrics").isFalse();
  }

  @Test
  void tlsSettingsThatCannotWorkTogetherAreRejected() throws Exception {
    Path file = Files.createTempFile("ack", ".pem");
    try {
      String pem = file.toString();
      assertThatThrownBy(() -> TestConfigs.server(new JsonObject().put("tlsCertPath", pem)))
        .hasMessageContaining("tlsKeyPath = ''").hasMessageContaining("needs both");
      assertThatThrownBy(() -> TestConfigs.server(new JsonObject().put("tlsCertPath", pem).put("tlsKeyPath", pem)
        .put("tlsClientAuth", "required")))
        .hasMessageContaining("tlsClientAuth = 'required'").hasMessageContaining("tlsTrustPath");
      assertThatThrownBy(() -> TestConfigs.server(new JsonObject().put("tlsCertPath", pem).put("tlsKeyPath", pem)
        .put("tlsTrustPath", pem)))
        .hasMessageContaining("tlsTrustPath = '" + pem + "'").hasMessageContaining("only used with tlsClientAuth");
      assertThatThrownBy(() -> TestConfigs.client(new JsonObject().put("clientTlsTrustPath", pem)))
        .hasMessageContaining("clientTlsTrustPath = '" + pem + "'").hasMessageContaining("clientTls = true");
      assertThatThrownBy(() -> TestConfigs.client(new JsonObject().put("clientTls", true)
        .put("clientTlsCertPath", pem)))
        .hasMessageContaining("clientTlsKeyPath = ''");
      TlsConfig tls = TestConfigs.server(new JsonObject().put("tlsCertPath", pem).put("tlsKeyPath", pem)
        .put("tlsClientAuth", "REQUEST").put("tlsTrustPath", pem)).tls();
      assertThat(tls.enabled()).isTrue();
      assertThat(tls.reloads()).isTrue();
      assertThat(tls.clientAuth()).isEqualTo(io.vertx.core.http.ClientAuth.REQUEST);
    } finally {
      Files.delete(file);
    }
  }
}
