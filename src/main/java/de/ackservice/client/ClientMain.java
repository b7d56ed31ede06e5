package de.ackservice.client;

/** Entry point of {@code java -jar ack-fat.jar client}. Placeholder until the client lands (issue 3). */
public final class ClientMain {

  private ClientMain() {
  }

  public static void main(String[] args) {
    System.err.println("the client is not built yet");
    System.exit(64);
  }
}
