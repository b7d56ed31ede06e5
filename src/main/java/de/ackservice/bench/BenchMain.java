package de.ackservice.bench;

/** Entry point of {@code java -jar ack-fat.jar bench}. Placeholder until the load generator lands (issue 5). */
public final class BenchMain {

  private BenchMain() {
  }

  public static void main(String[] args) {
    System.err.println("the benchmark is not built yet");
    System.exit(64);
  }
}
