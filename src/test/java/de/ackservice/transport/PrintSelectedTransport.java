package de.ackservice.transport;

/**
 * Run in a child JVM by {@link TransportRefusedTest}: selects the transport named by its argument as the application
 * does and prints the start-up wording, or the error with exit status 78 as the application exits.
 */
public final class PrintSelectedTransport {

  private PrintSelectedTransport() {
  }

  public static void main(String[] args) {
    try {
      SelectedTransport chosen = TransportSelector.ofThisPlatform()
          .select("transport", TransportPreference.parse("transport", args[0]));
      System.out.println("transport: " + chosen.describe());
    } catch (TransportException e) {
      System.out.println(e.getMessage());
      System.exit(78);
    }
  }
}
