package de.ackservice;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

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

  /**
   * Netty's native transports prefix the operating system's words with the call that failed, each its own way:
   * epoll {@code connect(..) failed: Connection refused}, io_uring {@code io_uring connect(..) failed with
   * error(-111): Connection refused}. The words after that are what a person needs, on every transport alike.
   */
  private static final Pattern NATIVE_CALL_PREFIX =
    Pattern.compile("^(?:io_uring )?\\w+\\(\\.\\.\\) failed(?: with error\\(-?\\d+\\))?: ");

  /** A failure in a few words: its message (without a native transport's call prefix), or its type. */
  public static String describe(Throwable failure) {
    String message = failure.getMessage();
    return message != null ? NATIVE_CALL_PREFIX.matcher(message).replaceFirst("")
      : failure.getClass().getSimpleName();
  }

  /** The innermost cause. */
  public static Throwable root(Throwable failure) {
    List<Throwable> chain = chain(failure);
    return chain.get(chain.size() - 1);
  }
}
