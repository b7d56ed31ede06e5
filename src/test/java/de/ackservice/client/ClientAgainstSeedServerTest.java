package de.ackservice.client;

import de.ackservice.config.Framing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static de.ackservice.client.ClientRun.REPLY;
import static de.ackservice.client.ClientRun.replies;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Wire compatibility the other way round: our client against the seed's own (threaded) server. */
@ExtendWith(VertxExtension.class)
class ClientAgainstSeedServerTest {

  private SeedServer seed;

  @BeforeEach
  @org.junit.jupiter.api.Timeout(value = 30, unit = TimeUnit.SECONDS)
  void startTheSeedServer() throws Exception {
    seed = SeedServer.start();
  }

  @AfterEach
  void stopTheSeedServer() throws Exception {
    if (seed != null) {
      seed.close();
    }
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aScriptGetsOneReplyPerLineFromTheSeedServer(Vertx vertx, VertxTestContext ctx) {
    StringBuilder input = new StringBuilder();
    for (int i = 1; i <= 200; i++) {
      input.append("Nachricht ").append(i).append('\n');
    }
    input.append("Grüße aus Köln 😀\n").append("x".repeat(StdinReader.RAW_MAX_LINE_BYTES)).append('\n');
    ClientRun.script(vertx, ClientTestServers.client(seed.port(), Framing.RAW), input.toString())
      .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
        assertEquals(replies(202), result.out());
        assertEquals("", result.err());
        assertEquals(ClientExit.OK, result.status());
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aPersonTalksToTheSeedServerAsWithTheSeedClient(Vertx vertx, VertxTestContext ctx) {
    ClientRun.interactive(vertx, ClientTestServers.client(seed.port(), Framing.RAW), "hallo\nExit\n")
      .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
        assertEquals(StdinReader.PROMPT + REPLY + "\n" + StdinReader.PROMPT, result.out());
        assertEquals(ClientExit.OK, result.status());
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void severalClientsAtOnceAreEachAnswered(Vertx vertx, VertxTestContext ctx) {
    String input = "eins\nzwei\ndrei\n";
    Future.all(
        ClientRun.script(vertx, ClientTestServers.client(seed.port(), Framing.RAW), input),
        ClientRun.script(vertx, ClientTestServers.client(seed.port(), Framing.RAW), input),
        ClientRun.script(vertx, ClientTestServers.client(seed.port(), Framing.RAW), input))
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        for (int i = 0; i < 3; i++) {
          ClientRun.Result result = all.resultAt(i);
          assertEquals(replies(3), result.out());
          assertEquals(ClientExit.OK, result.status());
        }
        ctx.completeNow();
      })));
  }
}
