package de.ackservice.server;

import de.ackservice.support.Acks;
import de.ackservice.support.BlockingClient;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.uring.IoUringIoHandler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import de.ackservice.support.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code eventLoopSpinMicros}: after a read batch the event loop keeps polling its transport, without blocking, for
 * the budget, then sleeps again; with 0 it never spins; and a spinning server still answers every message. On
 * io_uring, the transport the server takes by default here.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventLoopSpinTest {

  private MultiThreadIoEventLoopGroup group;
  private Vertx vertx;

  @AfterEach
  void close() throws Exception {
    if (group != null) {
      group.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(20, TimeUnit.SECONDS);
    }
    if (vertx != null) {
      vertx.close().await(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void afterActivityTheLoopPollsWithoutBlockingForTheBudgetThenSleepsUntilTheNextActivity() throws Exception {
    EventLoop loop = ioUringLoop();
    // 20 ms rather than the key's 1 ms at most: on a machine busy with other work the loop's thread may be off its
    // core for longer than 1 ms, and the test wants several polls within the budget.
    EventLoopSpin spin = new EventLoopSpin(20_000);

    assertThat(on(loop, () -> {
      spin.activity(loop);
      return spin.spinning();
    })).as("spinning right after a read batch").isTrue();
    awaitStopped(loop, spin);
    long polls = on(loop, spin::polls);
    assertThat(polls).as("non-blocking polls of the transport while kept awake").isGreaterThan(1);

    // Asleep now: 20 ms on the loop's own timer, and not one more poll.
    long pollsLater = loop.schedule(spin::polls, 20, TimeUnit.MILLISECONDS).get(10, TimeUnit.SECONDS);
    assertThat(pollsLater).as("no polling once the budget is spent").isEqualTo(polls);

    assertThat(on(loop, () -> {
      spin.activity(loop);
      return spin.spinning();
    })).as("the next read batch keeps it awake again").isTrue();
    awaitStopped(loop, spin);
    assertThat(on(loop, spin::polls)).isGreaterThan(polls);
  }

  @Test
  void withZeroTheLoopNeverSpins() throws Exception {
    EventLoop loop = ioUringLoop();
    EventLoopSpin spin = new EventLoopSpin(0);
    assertThat(on(loop, () -> {
      spin.activity(loop);
      return spin.spinning();
    })).isFalse();
    assertThat(loop.schedule(spin::polls, 20, TimeUnit.MILLISECONDS).get(10, TimeUnit.SECONDS)).isZero();
  }

  @Test
  void aSpinningServerAnswersEveryStopAndWaitMessage() throws Exception {
    assertThat(Transport.IO_URING.available()).as("io_uring is allowed on this machine").isTrue();
    vertx = Vertx.builder().withTransport(Transport.IO_URING).build();
    ServerState server = TestServers.start(vertx, new JsonObject().put("instances", 1).put("eventLoopSpinMicros", 1000))
      .await(30, TimeUnit.SECONDS);
    int messages = 2000;
    try (BlockingClient client = new BlockingClient(server.port())) {
      for (int i = 0; i < messages; i++) {
        assertThat(client.send("hallo " + i).read(Acks.RAW.length)).isEqualTo(Acks.RAW);
      }
    }
    assertThat(server.counters().messages()).isEqualTo(messages);
  }

  private EventLoop ioUringLoop() {
    assertThat(Transport.IO_URING.available()).as("io_uring is allowed on this machine").isTrue();
    group = new MultiThreadIoEventLoopGroup(1, IoUringIoHandler.newFactory());
    return group.next();
  }

  private static <T> T on(EventLoop loop, Callable<T> task) throws Exception {
    return loop.submit(task).get(10, TimeUnit.SECONDS);
  }

  /** Checks every millisecond, on the loop's own timer, for at most 10 s. */
  private static void awaitStopped(EventLoop loop, EventLoopSpin spin) throws Exception {
    for (int check = 0; check < 10_000; check++) {
      if (!loop.schedule(spin::spinning, 1, TimeUnit.MILLISECONDS).get(10, TimeUnit.SECONDS)) {
        return;
      }
    }
    throw new AssertionError("still spinning 10 s after the last activity, with a budget of 20 ms");
  }
}
