package de.ackservice.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one benchmark: spreads the connections over {@link LoadWorker}s (one per event loop), waits for the ramp,
 * starts the traffic (warm-up, then the measured window or message count), waits until every connection has
 * ended, then undeploys the workers (which closes the connections) and merges their counts into a
 * {@link Report}. It always ends by itself: every wait is bounded by the run's length or the timeout.
 */
public final class LoadGenerator {

  private static final long PROGRESS_INTERVAL_MS = 1000;

  private final Vertx vertx;
  private final BenchOptions options;
  private final Progress.Listener progress;
  private final RunSchedule schedule;
  private final List<LoadWorker> workers = new ArrayList<>();
  private final long startNanos = System.nanoTime();
  private volatile long rampEndNanos;
  private long lastProgressNanos = startNanos;
  private long lastProgressAnswers;

  private LoadGenerator(Vertx vertx, BenchOptions options, Progress.Listener progress) {
    this.vertx = vertx;
    this.options = options;
    this.progress = progress;
    this.schedule = new RunSchedule(options);
    Messages messages = new Messages(options.size(), options.framing(), options.depth());
    int count = Math.min(options.eventLoops(), options.connections());
    for (int w = 0; w < count; w++) {
      List<Integer> indexes = new ArrayList<>();
      for (int i = w; i < options.connections(); i += count) {
        indexes.add(i);
      }
      workers.add(new LoadWorker(options, schedule, messages, indexes));
    }
  }

  /** Runs the benchmark on {@code vertx}'s event loops; the future fails only if it could not run at all. */
  public static Future<Report> run(Vertx vertx, BenchOptions options) {
    return run(vertx, options, null);
  }

  /** As {@link #run(Vertx, BenchOptions)}, telling {@code progress} how it goes once a second. */
  public static Future<Report> run(Vertx vertx, BenchOptions options, Progress.Listener progress) {
    // Vert.x's public API says only "native or not"; callers that chose the transport name it (the 4-argument run).
    return run(vertx, options, progress, vertx.isNativeTransportEnabled() ? "native" : "nio");
  }

  /** As above; {@code transport} is the name of the transport {@code vertx} was built with, for the report. */
  public static Future<Report> run(Vertx vertx, BenchOptions options, Progress.Listener progress, String transport) {
    return new LoadGenerator(vertx, options, progress).run(transport);
  }

  private Future<Report> run(String transport) {
    long progressTimer = progress == null ? -1 : vertx.setPeriodic(PROGRESS_INTERVAL_MS, t -> reportProgress());
    AtomicInteger next = new AtomicInteger();
    // One deployment with as many instances as workers: Vert.x gives each instance its own event loop.
    return vertx.deployVerticle(() -> workers.get(next.getAndIncrement()),
        new DeploymentOptions().setInstances(workers.size()))
      .compose(deployment -> measure(transport)
        .eventually(() -> vertx.undeploy(deployment)))
      .eventually(() -> {
        if (progressTimer >= 0) {
          vertx.cancelTimer(progressTimer);
        }
        return Future.succeededFuture();
      });
  }

  private Future<Report> measure(String transport) {
    return Future.all(workers.stream().map(LoadWorker::rampDone).toList())
      .compose(ramped -> {
        rampEndNanos = System.nanoTime();
        schedule.begin(rampEndNanos);
        workers.forEach(LoadWorker::startTraffic);
        return Future.all(workers.stream().map(LoadWorker::finished).toList());
      })
      .map(finished -> {
        RunStats total = new RunStats();
        for (int i = 0; i < workers.size(); i++) {
          total.add(finished.resultAt(i));
        }
        return Report.of(options, transport, total, rampEndNanos - startNanos, schedule.measureFrom());
      });
  }

  private void reportProgress() {
    long now = System.nanoTime();
    long answers = 0;
    long errors = 0;
    long active = 0;
    for (LoadWorker worker : workers) {
      answers += worker.liveAnswers.get();
      errors += worker.liveErrors.get();
      active += worker.liveActive.get();
    }
    String phase;
    long rampEnd = rampEndNanos;
    if (rampEnd == 0) {
      phase = "ramp";
    } else if (now - schedule.measureFrom() < 0) {
      phase = "warm-up";
    } else {
      phase = "measure";
    }
    double perSecond = (answers - lastProgressAnswers) / ((now - lastProgressNanos) / 1e9);
    lastProgressAnswers = answers;
    lastProgressNanos = now;
    progress.onProgress(new Progress((now - startNanos) / 1e9, phase, perSecond, active, errors));
  }
}
