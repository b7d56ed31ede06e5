package de.ackservice.client;

import de.ackservice.config.Framing;
import de.ackservice.server.ServerState;
import de.ackservice.support.TestCertificates;
import de.ackservice.support.TestCertificates.Pair;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.TimeUnit;

import static de.ackservice.client.ClientRun.replies;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client over TLS: it verifies the server's certificate against its trust PEM and the certificate's name
 * against {@code clientHost}, says clearly why when that fails, and presents its own certificate for mutual TLS.
 * Servers and client meet at {@code localhost}, the name in the test certificates.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ClientTlsTest {

  private TestCertificates certs;
  private Pair server;
  private Pair other;

  @BeforeEach
  void certificates() throws Exception {
    certs = new TestCertificates();
    server = certs.create();
    other = certs.create();
  }

  @AfterEach
  void removeCertificates(Vertx vertx) throws Exception {
    await(vertx.close());
    certs.close();
  }

  @ParameterizedTest
  @EnumSource(Framing.class)
  void aTrustedServerAnswersEveryLineOverTls(Framing framing, Vertx vertx, VertxTestContext ctx) throws Exception {
    ServerState ack = await(tlsServer(vertx, framing, new JsonObject()));

    ClientRun.Result result = await(ClientRun.script(vertx, client(ack, framing, server), "eins\nzwei\ndrei\n"));
    ctx.verify(() -> {
      assertThat(result.err()).isEmpty();
      assertThat(result.out()).isEqualTo(replies(3));
      assertThat(result.status()).isEqualTo(ClientExit.OK);
      assertThat(ack.counters().messages()).isEqualTo(3);
    });
    ctx.completeNow();
  }

  @Test
  void aServerCertificateFromElsewhereIsRefusedWithAClearMessage(Vertx vertx, VertxTestContext ctx)
    throws Exception {
    ServerState ack = await(tlsServer(vertx, Framing.RAW, new JsonObject()));

    ClientRun.Result result = await(ClientRun.script(vertx, client(ack, Framing.RAW, other), "hallo\n"));
    ctx.verify(() -> {
      assertThat(result.status()).isEqualTo(ClientExit.CANNOT_CONNECT);
      assertThat(result.out()).isEmpty();
      assertThat(result.err()).startsWith("Fehler bei der Verbindung zum Server: TLS: das Zertifikat des Servers "
        + "ist nicht von clientTlsTrustPath (" + other.cert() + ") beglaubigt");
      assertThat(ack.counters().messages()).isZero();
    });
    ctx.completeNow();
  }

  @Test
  void aCertificateForAnotherNameIsRefused(Vertx vertx, VertxTestContext ctx) throws Exception {
    ServerState ack = await(tlsServer(vertx, Framing.RAW, new JsonObject()));

    // The certificate names localhost; 127.0.0.1 is the same machine but not the name the certificate vouches for.
    ClientRun.Result result = await(ClientRun.script(vertx, client(ack, Framing.RAW, server)
      .withAddress("127.0.0.1", ack.port()), "hallo\n"));
    ctx.verify(() -> {
      assertThat(result.status()).isEqualTo(ClientExit.CANNOT_CONNECT);
      assertThat(result.err()).contains("das Zertifikat des Servers gilt nicht für den Namen in clientHost");
    });
    ctx.completeNow();
  }

  @Test
  void aServerWithoutTlsIsReportedAsSuch(Vertx vertx, VertxTestContext ctx) throws Exception {
    ServerState plain = await(ClientTestServers.ackServer(vertx, Framing.RAW, new JsonObject().put("host", "localhost")));

    ClientRun.Result result = await(ClientRun.script(vertx, client(plain, Framing.RAW, server), "hallo\n"));
    ctx.verify(() -> {
      assertThat(result.status()).isEqualTo(ClientExit.CANNOT_CONNECT);
      assertThat(result.err()).contains("der Server spricht kein TLS");
    });
    ctx.completeNow();
  }

  @Test
  void theClientPresentsItsCertificateToAServerThatRequiresOne(Vertx vertx, VertxTestContext ctx) throws Exception {
    Pair clientPair = certs.create();
    ServerState ack = await(tlsServer(vertx, Framing.LINE, new JsonObject().put("tlsClientAuth", "required")
      .put("tlsTrustPath", clientPair.cert().toString())));

    ClientRun.Result withCertificate = await(ClientRun.script(vertx, client(ack, Framing.LINE, server,
      new JsonObject().put("clientTlsCertPath", clientPair.cert().toString())
        .put("clientTlsKeyPath", clientPair.key().toString())), "hallo\n"));
    ClientRun.Result without = await(ClientRun.script(vertx, client(ack, Framing.LINE, server), "hallo\n"));
    ctx.verify(() -> {
      assertThat(withCertificate.status()).isEqualTo(ClientExit.OK);
      assertThat(withCertificate.out()).isEqualTo(replies(1));
      assertThat(without.status()).isNotEqualTo(ClientExit.OK);
      assertThat(without.err()).contains("Client-Zertifikat");
      assertThat(ack.counters().messages()).isEqualTo(1);
    });
    ctx.completeNow();
  }

  private Future<ServerState> tlsServer(Vertx vertx, Framing framing, JsonObject extra) {
    return ClientTestServers.ackServer(vertx, framing, new JsonObject().put("host", "localhost")
      .put("tlsCertPath", server.cert().toString()).put("tlsKeyPath", server.key().toString())
      .mergeIn(extra));
  }

  private static de.ackservice.config.ClientConfig client(ServerState ack, Framing framing, Pair trusted) {
    return client(ack, framing, trusted, new JsonObject());
  }

  private static de.ackservice.config.ClientConfig client(ServerState ack, Framing framing, Pair trusted,
                                                          JsonObject extra) {
    return ClientTestServers.client(ack.port(), framing, new JsonObject().put("clientHost", "localhost")
      .put("clientTls", true).put("clientTlsTrustPath", trusted.cert().toString()).mergeIn(extra));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
