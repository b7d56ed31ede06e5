package de.ackservice.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.function.BooleanSupplier;

/**
 * Waits for a condition the test cannot be called back for (a server-side counter), by checking it on a timer.
 * Bounded in count and time: it fails after {@code MAX_CHECKS} checks instead of hanging.
 */
public final class Conditions {

  private static final long CHECK_EVERY_MS = 5;
  private static final int MAX_CHECKS = 4_000; // 20 s

  private Conditions() {
  }

  public static Future<Void> await(Vertx vertx, String what, BooleanSupplier condition) {
    Promise<Void> done = Promise.promise();
    check(vertx, what, condition, done, 0);
    return done.future();
  }

  /** The same, for a test thread that may block: returns once the condition holds, throws when it never does. */
  public static void awaitBlocking(Vertx vertx, String what, BooleanSupplier condition) throws Exception {
    await(vertx, what, condition).toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
  }

  private static void check(Vertx vertx, String what, BooleanSupplier condition, Promise<Void> done, int checks) {
    if (condition.getAsBoolean()) {
      done.complete();
    } else if (checks >= MAX_CHECKS) {
      done.fail(new AssertionError("timed out waiting for: " + what));
    } else {
      vertx.setTimer(CHECK_EVERY_MS, id -> check(vertx, what, condition, done, checks + 1));
    }
  }
}
