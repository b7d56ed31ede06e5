package de.ackservice.bench;

import de.ackservice.config.ConfigException;
import de.ackservice.config.VertxShape;
import de.ackservice.transport.SelectedTransport;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.CompletionException;

/**
 * Entry point of {@code java -jar ack-fat.jar bench}: parses the options, runs the load generator on its own
 * Vert.x instance with the requested number of event loops, prints the table on stdout and writes the JSON.
 */
public final class BenchMain {

  static final int EXIT_OK = 0;
  static final int EXIT_ERRORS = 1;
  static final int EXIT_USAGE = 2;
  /** The transport setting cannot be honoured (as the server: sysexits' EX_CONFIG). */
  static final int EXIT_BAD_CONFIG = 78;

  private BenchMain() {
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    if (BenchOptionsParser.wantsHelp(args)) {
      System.out.print(BenchOptionsParser.USAGE);
      return EXIT_OK;
    }
    BenchOptions options;
    try {
      options = BenchOptionsParser.parse(args);
    } catch (BenchUsageException e) {
      System.err.println("bench: " + e.getMessage());
      System.err.println("usage: java -jar ack-fat.jar bench [options]; --help lists them");
      return EXIT_USAGE;
    }
    // The transport setting as the server reads it (ACK_TRANSPORT / -Dack.transport; bench has no -conf): auto
    // takes io_uring where allowed, else epoll, else NIO.
    Vertx vertx;
    SelectedTransport transport;
    try {
      transport = VertxShape.beforeVertx((String) null).selectTransport();
      vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(options.eventLoops()))
        .withTransport(transport.transport()).build();
    } catch (ConfigException e) {
      System.err.println("bench: " + e.getMessage());
      return EXIT_BAD_CONFIG;
    }
    try {
      // Only a person watching wants a status line a second; scripts and logs get the report alone.
      Progress.Listener progress = Terminal.stderrIsTerminal() ? p -> System.err.println(p.line()) : null;
      Report report = LoadGenerator.run(vertx, options, progress, transport.describe()).toCompletionStage().toCompletableFuture().join();
      System.out.print(ReportFormat.table(report));
      if (options.jsonFile() != null) {
        Files.writeString(options.jsonFile(), ReportFormat.json(report).encodePrettily() + "\n");
      }
      return report.clean() && report.acks() > 0 ? EXIT_OK : EXIT_ERRORS;
    } catch (IOException e) {
      System.err.println("bench: cannot write " + options.jsonFile() + ": " + e.getMessage());
      return EXIT_ERRORS;
    } catch (CompletionException e) {
      System.err.println("bench: " + e.getCause().getMessage());
      return EXIT_ERRORS;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }
}
