package de.ackservice.server;

import de.ackservice.support.Acks;
import de.ackservice.support.BlockingClient;
import de.ackservice.support.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class RawFramingTest {

  // Clients live in fields: an unreachable NetClient may be closed by the JVM mid-test.
  private NetClient client;
  private final List<NetSocket> sockets = new ArrayList<>();

  @Test
  void answersAMessageWithExactlyTheSeedAcknowledgementBytes(Vertx vertx, VertxTestContext ctx) {
    client = vertx.createNetClient();
    TestServers.start(vertx)
      .compose(server -> client.connect(server.port(), "127.0.0.1"))
      .onComplete(ctx.succeeding(socket -> {
        Buffer received = Buffer.buffer();
        socket.handler(chunk -> {
          received.appendBuffer(chunk);
          if (received.length() >= Acks.RAW.length) {
            ctx.verify(() -> assertThat(received.getBytes()).isEqualTo(Acks.RAW));
            ctx.completeNow();
          }
        });
        socket.write("hallo");
      }));
  }

  @Test
  void acknowledgesInvalidUtf8NulBytesAndBinaryAndKeepsTheConnection(Vertx vertx, VertxTestContext ctx) {
    byte[] everyByteValue = new byte[256];
    for (int i = 0; i < everyByteValue.length; i++) {
      everyByteValue[i] = (byte) i;
    }
    TestServers.start(vertx)
      .compose(server -> vertx.executeBlocking(() -> {
        try (BlockingClient peer = new BlockingClient(server.port())) {
          List<byte[]> replies = new ArrayList<>();
          for (byte[] payload : List.of(new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3}, new byte[] {0, 0, 0},
            everyByteValue, "gültig".getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            replies.add(peer.send(payload).read(Acks.RAW.length));
          }
          return replies;
        }
      }))
      .onComplete(ctx.succeeding(replies -> ctx.verify(() -> {
        assertThat(replies).hasSize(4).allSatisfy(reply -> assertThat(reply).isEqualTo(Acks.RAW));
        ctx.completeNow();
      })));
  }

  @Test
  void servesTwoHundredConcurrentClients(Vertx vertx, VertxTestContext ctx) {
    int clients = 200;
    client = vertx.createNetClient();
    Checkpoint acknowledged = ctx.checkpoint(clients);
    TestServers.start(vertx).onComplete(ctx.succeeding(server -> {
      for (int i = 0; i < clients; i++) {
        String message = "client " + i;
        client.connect(server.port(), "127.0.0.1").onComplete(ctx.succeeding(socket -> {
          sockets.add(socket);
          Buffer received = Buffer.buffer();
          socket.handler(chunk -> {
            received.appendBuffer(chunk);
            if (received.length() == Acks.RAW.length) {
              ctx.verify(() -> assertThat(received.getBytes()).isEqualTo(Acks.RAW));
              acknowledged.flag();
            }
          });
          socket.write(message);
        }));
      }
    }));
  }

  @Test
  void severalInstancesShareOneRandomPort(Vertx vertx, VertxTestContext ctx) {
    client = vertx.createNetClient();
    int clients = 20;
    Checkpoint acknowledged = ctx.checkpoint(clients);
    TestServers.start(vertx, new JsonObject().put("instances", 3)).onComplete(ctx.succeeding(server -> {
      ctx.verify(() -> assertThat(server.port()).isPositive());
      for (int i = 0; i < clients; i++) {
        client.connect(server.port(), "127.0.0.1")
          .compose(socket -> {
            sockets.add(socket);
            Future<Buffer> reply = Future.future(p -> socket.handler(p::complete));
            socket.write("x");
            return reply;
          })
          .onComplete(ctx.succeeding(reply -> acknowledged.flag()));
      }
    }));
  }
}
