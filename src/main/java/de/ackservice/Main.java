package de.ackservice;

import de.ackservice.bench.BenchMain;
import de.ackservice.client.ClientMain;

import java.util.Arrays;

/**
 * The jar's {@code Main-Class}, and the one place that decides which program runs: {@code --help}, {@code client} and
 * {@code bench} go to their programs before anything of the
 * server is loaded, and everything else to {@link AckApplication}.
 *
 * <p>Why a class of its own: it sets the libraries' switches ({@link LibrarySwitches}) before any program loads a
 * class that reads them, and the client sets up its own, much cheaper logging before anything of the server's is
 * loaded (see {@code client.ClientLogging}).
 */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    LibrarySwitches.forEveryProgram();
    String program = args.length > 0 ? args[0] : "";
    String[] rest = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : args;
    switch (program) {
      case "client" -> ClientMain.main(rest);
      case "bench" -> BenchMain.main(rest);
      case "--help", "-h", "help" -> System.out.print(Programs.USAGE);
      case "server" -> AckApplication.launch(rest);
      default -> AckApplication.launch(args);
    }
  }
}
