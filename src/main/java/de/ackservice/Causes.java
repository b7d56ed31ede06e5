package de.ackservice;

import java.util.ArrayList;
import java.util.List;

/** A failure's chain of causes, walked in one place (a cause that is its own cause ends the chain). */
public final class Causes {

  private Causes() {
  }

  /** {@code failure} and its causes, outermost first. */
  public static List<Throwable> chain(Throwable failure) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable cause = failure; cause != null && !chain.contains(cause); cause = cause.getCause()) {
      chain.add(cause);
    }
    return chain;
  }

  /** A failure in a few words: its message, or its type when it has none. */
  public static String describe(Throwable failure) {
    return failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
  }

  /** The innermost cause. */
  public static Throwable root(Throwable failure) {
    List<Throwable> chain = chain(failure);
    return chain.get(chain.size() - 1);
  }
}
