package de.ackservice;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SIGTERM and SIGINT start a graceful shutdown and exit 0 once it is done. A second signal during the drain exits
 * at once.
 *
 * <p>Why {@code sun.misc.Signal} (module jdk.unsupported, kept accessible by JEP 260 for exactly this), and this the
 * only class that uses it: the JDK's public API cannot do both. A shutdown hook runs when the JVM is already
 * exiting: the status is then 143, which Kubernetes and scripts read as a failure, and a second signal is ignored
 * rather than cutting the drain short.
 */
final class TerminationSignals {

  private static final Logger log = LoggerFactory.getLogger(TerminationSignals.class);

  private TerminationSignals() {
  }

  /** @param shutdownBegins told first, so that readiness turns false before the drain starts */
  static void install(Vertx vertx, long drainMs, Runnable shutdownBegins) {
    AtomicBoolean stopping = new AtomicBoolean();
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(new Signal(name), signal -> {
          if (!stopping.compareAndSet(false, true)) {
            log.warn("SIG{} again: exiting without waiting for the drain", name);
            Runtime.getRuntime().halt(128 + signal.getNumber());
          }
          shutdownBegins.run();
          Thread stopper = new Thread(() -> drainAndExit(vertx, name, drainMs), "ack-shutdown");
          stopper.start();
        });
      } catch (IllegalArgumentException unavailable) {
        log.debug("cannot handle SIG{} here (e.g. -Xrs): the JVM's default applies", name);
      }
    }
  }

  private static void drainAndExit(Vertx vertx, String signal, long drainMs) {
    log.info("SIG{} received: no longer accepting connections, serving connected clients for up to {} ms",
      signal, drainMs);
    int status = 1;
    try {
      // The verticles first: Vert.x's close() would stop servers created outside them (the management endpoint)
      // before the drain, and readiness must keep answering "not ready" while connected clients are served.
      Future.all(vertx.deploymentIDs().stream().map(vertx::undeploy).toList())
        .transform(undeployed -> vertx.close())
        .toCompletionStage().toCompletableFuture().get(drainMs + 30_000, TimeUnit.MILLISECONDS);
      status = 0;
      log.info("shutdown complete");
    } catch (Exception e) {
      log.error("shutdown did not complete cleanly", e);
    } finally {
      // Whatever went wrong above, even an Error while logging it (seen when the jar was replaced under a running
      // server and a class could no longer be loaded), the process ends: it has stopped serving.
      System.exit(status);
    }
  }
}
