package de.ackservice.bench;

/** A command line the load generator cannot run: the message names the option and what is wrong with it. */
public final class BenchUsageException extends RuntimeException {

  public BenchUsageException(String message) {
    super(message);
  }
}
