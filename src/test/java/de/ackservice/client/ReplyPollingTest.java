package de.ackservice.client;

import de.ackservice.config.ClientConfig;
import de.ackservice.config.Framing;
import de.ackservice.transport.PollableTransport;
import de.ackservice.transport.TransportPreference;
import de.ackservice.transport.TransportSelector;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

import static de.ackservice.client.ClientRun.replies;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code clientBusyPollMicros}: while a reply is due the client's event loop polls instead of sleeping, on each
 * transport as the client builds it ({@link PollableTransport}), and only for its budget: a reply later than the
 * budget still arrives, the loop polls for the budget after each line, and the wait after the budget costs no CPU.
 */
@ExtendWith(VertxExtension.class)
class ReplyPollingTest {

  /** The server waits this long before each acknowledgement: far longer than any polling budget. */
  private static final int REPLY_DELAY_MS = 150;
  private static final int LINES = 20;
  private static final int BUDGET_MICROS = 10_000;
  private static final String ACK = "Daten erfolgreich empfangen!";

  private Vertx clientVertx;

  @AfterEach
  void closeClientVertx() {
    if (clientVertx != null) {
      clientVertx.close().await();
    }
  }

  @ParameterizedTest
  @EnumSource(value = TransportPreference.class, names = {"IO_URING", "EPOLL", "NIO"})
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void theLoopPollsForItsBudgetThenSleepsAndALateReplyStillArrives(TransportPreference transport, Vertx vertx,
                                                                 VertxTestContext ctx) {
    // One event loop, as the client runs: the session and the CPU probe share its thread.
    clientVertx = Vertx.builder()
      .with(new VertxOptions().setEventLoopPoolSize(1))
      .withTransport(new PollableTransport(TransportSelector.ofThisPlatform().select("transport", transport).transport()))
      .build();
    slowAckServer(vertx)
      .compose(server -> {
        ClientConfig config = ClientTestServers.client(server.actualPort(), Framing.RAW, new JsonObject()
          .put("clientBusyPollMicros", BUDGET_MICROS));
        // A first session loads and warms the client's code, whose cost is not what is measured.
        return ClientRun.script(clientVertx, config, "x\n")
          .compose(warm -> eventLoopCpuNanos())
          .compose(before -> ClientRun.script(clientVertx, config, "x\n".repeat(LINES))
            .compose(result -> eventLoopCpuNanos().map(after -> new Object[] {result, after - before})));
      })
      .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
        ClientRun.Result result = (ClientRun.Result) outcome[0];
        long cpuNanos = (long) outcome[1];
        assertEquals(replies(LINES), result.out());
        assertEquals(ClientExit.OK, result.status());
        // The session waited LINES x 150 ms = 3 s. It polled for the budget after each line (20 x 10 ms = 200 ms of
        // CPU; at least half of it even if the thread was not always on a core; without polling the session takes
        // some 20-60 ms), then slept: polling without a bound would have kept the loop busy all 3 s.
        long waitedNanos = TimeUnit.MILLISECONDS.toNanos((long) LINES * REPLY_DELAY_MS);
        long budgetsNanos = TimeUnit.MICROSECONDS.toNanos((long) LINES * BUDGET_MICROS);
        String cpu = "event loop CPU " + cpuNanos / 1_000_000 + " ms while waiting " + waitedNanos / 1_000_000
          + " ms for replies";
        assertTrue(cpuNanos >= budgetsNanos / 2, cpu);
        assertTrue(cpuNanos < waitedNanos / 4, cpu);
        ctx.completeNow();
      })));
  }

  /** A raw-framing server that acknowledges each read REPLY_DELAY_MS later. */
  private static Future<NetServer> slowAckServer(Vertx vertx) {
    return ClientTestServers.listen(vertx, socket -> socket.handler(chunk ->
      vertx.setTimer(REPLY_DELAY_MS, id -> socket.write(ACK))));
  }

  /** CPU time of the client's one event loop thread so far (every context of that Vert.x runs on it). */
  private Future<Long> eventLoopCpuNanos() {
    Promise<Long> cpu = Promise.promise();
    clientVertx.getOrCreateContext().runOnContext(v ->
      cpu.complete(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime()));
    return cpu.future();
  }
}
