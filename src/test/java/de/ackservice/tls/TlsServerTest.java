package de.ackservice.tls;

import de.ackservice.server.ServerState;
import de.ackservice.support.AckSocket;
import de.ackservice.support.Acks;
import de.ackservice.support.BlockingClient;
import de.ackservice.support.Conditions;
import de.ackservice.support.TestCertificates;
import de.ackservice.support.TestCertificates.Pair;
import de.ackservice.support.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS on the acknowledgement port, with certificates made here: the handshake and the acknowledgement, a plaintext
 * client refused without harm to anyone else, certificate rotation without a restart, and mutual TLS.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class TlsServerTest {

  private TestCertificates certs;
  private Pair a;
  private Pair b;
  private Path serverCert;
  private Path serverKey;
  // Kept in fields: in Vert.x 5 an unreachable client may be closed mid-test.
  private final List<NetClient> clients = new ArrayList<>();

  @BeforeEach
  void certificates() throws Exception {
    certs = new TestCertificates();
    a = certs.create();
    b = certs.create();
    serverCert = certs.path("server.crt");
    serverKey = certs.path("server.key");
    TestCertificates.install(a.cert(), serverCert);
    TestCertificates.install(a.key(), serverKey);
  }

  @AfterEach
  void removeCertificates(Vertx vertx) throws Exception {
    await(vertx.close()); // first, so that no reloader reads the files while they are deleted
    certs.close();
  }

  @Test
  void aClientThatTrustsTheCertificateGetsItsAcknowledgementOverTls(Vertx vertx, VertxTestContext ctx)
    throws Exception {
    ServerState server = start(vertx, new JsonObject());
    NetClient client = tlsClient(vertx, new PemTrustOptions().addCertPath(a.cert().toString()), null);

    AckSocket.connect(client, server.port(), "127.0.0.1")
      .compose(socket -> socket.ping("hallo über TLS").map(socket))
      .onComplete(ctx.succeeding(socket -> ctx.verify(() -> {
        assertThat(socket.socket().isSsl()).isTrue();
        assertThat(peer(socket)).isEqualTo(a.certificate());
        ctx.completeNow();
      })));
  }

  @Test
  void aPlaintextClientIsRefusedCleanlyAndNobodyElseNotices(Vertx vertx, VertxTestContext ctx) throws Exception {
    ServerState server = start(vertx, new JsonObject());
    NetClient client = tlsClient(vertx, new PemTrustOptions().addCertPath(a.cert().toString()), null);
    AckSocket before = await(AckSocket.connect(client, server.port(), "127.0.0.1"));
    await(before.ping("vorher"));

    byte[] plaintextAnswer;
    try (BlockingClient plaintext = new BlockingClient(server.port())) {
      plaintextAnswer = plaintext.send("hallo im Klartext\n").readToEnd();
    }
    awaitCondition(vertx, "the failed handshake is counted", () -> server.overload().handshakes().total(de.ackservice.overload.HandshakeFailures.Stage.TLS) == 1);

    // The connection made before carries on, and new ones are served.
    await(before.ping("nachher"));
    AckSocket after = await(AckSocket.connect(client, server.port(), "127.0.0.1"));
    await(after.ping("neu"));
    ctx.verify(() -> {
      assertThat(new String(plaintextAnswer, java.nio.charset.StandardCharsets.ISO_8859_1))
        .as("no acknowledgement in plain text").doesNotContain(Acks.TEXT);
      assertThat(server.counters().messages()).isEqualTo(3);
      assertThat(server.overload().handshakes().total(de.ackservice.overload.HandshakeFailures.Stage.TLS)).isEqualTo(1);
    });
    ctx.completeNow();
  }

  @Test
  void aRenewedCertificateServesNewConnectionsWhileEstablishedOnesCarryOn(Vertx vertx, VertxTestContext ctx)
    throws Exception {
    ServerState server = start(vertx, new JsonObject().put("tlsReloadMs", 50).put("instances", 2));
    TlsReloader reloader = server.tls().orElseThrow();
    Path both = certs.bundle("a-and-b.pem", a, b);
    NetClient client = tlsClient(vertx, new PemTrustOptions().addCertPath(both.toString()), null);
    AckSocket established = await(AckSocket.connect(client, server.port(), "127.0.0.1"));
    await(established.ping("mit A"));

    // As a Kubernetes Secret update or cert-manager's renewal: both files replaced, each in one step.
    TestCertificates.install(b.cert(), serverCert);
    TestCertificates.install(b.key(), serverKey);
    awaitCondition(vertx, "the new certificate is taken into use", () -> reloader.reloadsApplied() == 1);

    AckSocket renewed = await(AckSocket.connect(client, server.port(), "127.0.0.1"));
    await(renewed.ping("mit B"));
    await(established.ping("noch mit A"));
    ctx.verify(() -> {
      assertThat(peer(renewed)).isEqualTo(b.certificate());
      assertThat(peer(established)).as("an established connection keeps its session").isEqualTo(a.certificate());
      assertThat(reloader.certificateNotAfter()).isEqualTo(b.certificate().getNotAfter().toInstant());
    });
    ctx.completeNow();
  }

  @Test
  void aKeyThatDoesNotBelongToTheCertificateIsRefusedAndThePreviousPairServes(Vertx vertx, VertxTestContext ctx)
    throws Exception {
    ServerState server = start(vertx, new JsonObject().put("tlsReloadMs", 50));
    TlsReloader reloader = server.tls().orElseThrow();
    Path both = certs.bundle("a-and-b.pem", a, b);
    NetClient client = tlsClient(vertx, new PemTrustOptions().addCertPath(both.toString()), null);

    // Half-way through a renewal: B's certificate with A's key.
    TestCertificates.install(b.cert(), serverCert);
    awaitCondition(vertx, "the mismatched pair is refused", () -> reloader.reloadsRefused() == 1);
    AckSocket meanwhile = await(AckSocket.connect(client, server.port(), "127.0.0.1"));
    await(meanwhile.ping("während der Erneuerung"));

    TestCertificates.install(b.key(), serverKey);
    awaitCondition(vertx, "the complete pair is taken", () -> reloader.reloadsApplied() == 1);
    AckSocket renewed = await(AckSocket.connect(client, server.port(), "127.0.0.1"));
    await(renewed.ping("danach"));
    ctx.verify(() -> {
      assertThat(peer(meanwhile)).isEqualTo(a.certificate());
      assertThat(peer(renewed)).isEqualTo(b.certificate());
      assertThat(reloader.reloadsRefused()).as("the same bad files are refused once, not at every check")
        .isEqualTo(1);
    });
    ctx.completeNow();
  }

  @Test
  void mutualTlsServesATrustedClientCertificateAndRefusesUnknownOrMissingOnes(Vertx vertx, VertxTestContext ctx)
    throws Exception {
    Pair trustedClient = certs.create();
    Pair unknownClient = certs.create();
    ServerState server = start(vertx, new JsonObject().put("tlsClientAuth", "required")
      .put("tlsTrustPath", trustedClient.cert().toString()));
    PemTrustOptions trustServer = new PemTrustOptions().addCertPath(a.cert().toString());

    AckSocket trusted = await(AckSocket.connect(tlsClient(vertx, trustServer, trustedClient), server.port(),
      "127.0.0.1"));
    await(trusted.ping("mit bekanntem Zertifikat"));
    boolean unknownRefused = await(refused(tlsClient(vertx, trustServer, unknownClient), server.port()));
    boolean anonymousRefused = await(refused(tlsClient(vertx, trustServer, null), server.port()));
    awaitCondition(vertx, "both handshakes failed", () -> server.overload().handshakes().total(de.ackservice.overload.HandshakeFailures.Stage.TLS) == 2);
    ctx.verify(() -> {
      assertThat(unknownRefused).as("an unknown client certificate").isTrue();
      assertThat(anonymousRefused).as("no client certificate").isTrue();
      assertThat(server.counters().messages()).isEqualTo(1);
      assertThat(trusted.socket().isSsl()).isTrue();
    });
    ctx.completeNow();
  }

  @Test
  void requestedClientAuthenticationStillServesClientsWithoutACertificate(Vertx vertx, VertxTestContext ctx)
    throws Exception {
    Pair trustedClient = certs.create();
    ServerState server = start(vertx, new JsonObject().put("tlsClientAuth", "request")
      .put("tlsTrustPath", trustedClient.cert().toString()));
    PemTrustOptions trustServer = new PemTrustOptions().addCertPath(a.cert().toString());

    AckSocket anonymous = await(AckSocket.connect(tlsClient(vertx, trustServer, null), server.port(), "127.0.0.1"));
    await(anonymous.ping("ohne Zertifikat"));
    AckSocket known = await(AckSocket.connect(tlsClient(vertx, trustServer, trustedClient), server.port(),
      "127.0.0.1"));
    await(known.ping("mit Zertifikat"));
    ctx.verify(() -> assertThat(server.counters().messages()).isEqualTo(2));
    ctx.completeNow();
  }

  /**
   * True when the server does not serve the client: the handshake fails, or (TLS 1.3, where the client finishes its
   * side before the server checks its certificate) the connection is closed without an acknowledgement.
   */
  private static Future<Boolean> refused(NetClient client, int port) {
    return AckSocket.connect(client, port, "127.0.0.1")
      .compose(socket -> {
        socket.socket().write("hallo");
        return socket.closedByServer().map(received -> received.length() == 0);
      }, handshakeFailed -> Future.succeededFuture(true));
  }

  private ServerState start(Vertx vertx, JsonObject extra) throws Exception {
    JsonObject config = new JsonObject().put("instances", 1)
      .put("tlsCertPath", serverCert.toString()).put("tlsKeyPath", serverKey.toString())
      .mergeIn(extra);
    return await(TestServers.start(vertx, config));
  }

  private NetClient tlsClient(Vertx vertx, PemTrustOptions trust, Pair clientCertificate) {
    NetClientOptions options = new NetClientOptions()
      .setSsl(true)
      .setTrustOptions(trust)
      // Host names are the client's business (ClientTlsTest); here the server's certificate is what matters.
      .setHostnameVerificationAlgorithm("");
    if (clientCertificate != null) {
      options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(clientCertificate.cert().toString())
        .setKeyPath(clientCertificate.key().toString()));
    }
    NetClient client = vertx.createNetClient(options);
    clients.add(client);
    return client;
  }

  private static Certificate peer(AckSocket socket) throws Exception {
    return socket.socket().peerCertificates().get(0);
  }

  private static void awaitCondition(Vertx vertx, String what, BooleanSupplier condition) throws Exception {
    await(Conditions.await(vertx, what, condition));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
