package de.ackservice.bench;

import de.ackservice.protocol.AnswerMatcher;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connections of one event loop: it opens its share of them on the ramp's schedule, starts their traffic
 * when told, checks them for stalled answers, and hands its {@link RunStats} over when all of them have ended.
 * Everything here runs on its event loop, so the counters need no synchronisation.
 */
final class LoadWorker extends VerticleBase {

  private static final long STALL_CHECK_MS = 100;

  private final BenchOptions options;
  private final RunSchedule schedule;
  private final Messages messages;
  /** Global indexes of this worker's connections: they decide when each is opened on the ramp. */
  private final List<Integer> connectionIndexes;
  private final RunStats stats = new RunStats();
  private final List<ConnectionDriver> drivers = new ArrayList<>();
  private final Promise<Void> rampDone = Promise.promise();
  private final Promise<RunStats> finished = Promise.promise();
  /** Figures for the progress line, published by the stall check timer rather than per message. */
  final AtomicLong liveAnswers = new AtomicLong();
  final AtomicLong liveErrors = new AtomicLong();
  final AtomicLong liveActive = new AtomicLong();

  private NetClient client;
  private int connectAttemptsLeft;
  private int active;
  private boolean trafficStarted;
  private long stallTimer = -1;

  LoadWorker(BenchOptions options, RunSchedule schedule, Messages messages, List<Integer> connectionIndexes) {
    this.options = options;
    this.schedule = schedule;
    this.messages = messages;
    this.connectionIndexes = connectionIndexes;
    liveActive.set(connectionIndexes.size());
  }

  @Override
  public Future<?> start() {
    client = vertx.createNetClient(new NetClientOptions()
      .setTcpNoDelay(true)
      .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.timeout().toMillis())));
    connectAttemptsLeft = connectionIndexes.size();
    active = connectionIndexes.size();
    if (connectAttemptsLeft == 0) {
      rampDone.tryComplete();
    }
    long rampMs = options.ramp().toMillis();
    for (int index : connectionIndexes) {
      ConnectionDriver driver = new ConnectionDriver(this, AnswerMatcher.of(options.ack()),
        options.depth());
      drivers.add(driver);
      long delayMs = rampMs * index / options.connections();
      if (delayMs < 1) {
        driver.connect(client, options.host(), options.port());
      } else {
        vertx.setTimer(delayMs, t -> driver.connect(client, options.host(), options.port()));
      }
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return client.close();
  }

  /** Completes when every connection of this worker has connected or failed to. */
  Future<Void> rampDone() {
    return rampDone.future();
  }

  /** Completes with a copy of the statistics once every connection has ended (done or failed). */
  Future<RunStats> finished() {
    return finished.future();
  }

  /** Starts the traffic of every connected connection; may be called from any thread. */
  void startTraffic() {
    context.runOnContext(v -> {
      trafficStarted = true;
      for (ConnectionDriver driver : drivers) {
        driver.startTraffic();
      }
      long timeoutNanos = options.timeout().toNanos();
      stallTimer = vertx.setPeriodic(Math.min(STALL_CHECK_MS, Math.max(1, options.timeout().toMillis() / 2)), t -> {
        long now = System.nanoTime();
        for (ConnectionDriver driver : drivers) {
          driver.checkStalled(now, timeoutNanos);
        }
        publishLive();
      });
      finishIfIdle();
    });
  }

  void connectAttemptDone(boolean connected) {
    if (!connected) {
      active--;
    }
    publishLive();
    if (--connectAttemptsLeft == 0) {
      rampDone.tryComplete();
    }
  }

  void connectionEnded() {
    active--;
    finishIfIdle();
  }

  private void finishIfIdle() {
    if (trafficStarted && active == 0 && !finished.future().isComplete()) {
      vertx.cancelTimer(stallTimer);
      publishLive();
      finished.complete(stats.copy());
    }
  }

  private void publishLive() {
    liveAnswers.lazySet(stats.acksTotal + stats.wrongAnswers);
    liveErrors.lazySet(stats.errors());
    liveActive.lazySet(active);
  }

  RunStats stats() {
    return stats;
  }

  RunSchedule schedule() {
    return schedule;
  }

  Messages messages() {
    return messages;
  }
}
