package de.ackservice.client;

import de.ackservice.LibrarySwitches;
import de.ackservice.config.ClientConfig;
import de.ackservice.config.ConfigException;
import de.ackservice.config.ConfigKey;
import de.ackservice.config.ConfigLoader;
import de.ackservice.config.ConfigValues;
import de.ackservice.config.VertxShape;
import de.ackservice.transport.PollableTransport;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Entry point of {@code java -jar ack-fat.jar client [-conf FILE|JSON] [HOST [PORT]]}: loads the configuration like
 * the server does, runs a {@link ClientVerticle} on stdin/stdout/stderr and exits with its {@link ClientExit}.
 */
public final class ClientMain {

  private ClientMain() {
  }

  public static void main(String[] args) {
    startLean();
    // stdout carries the replies and nothing else: whatever a library logs goes to stderr (logback's console
    // appender writes to whatever System.out is at the time).
    PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024),
      false, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    // Java 17: a console exists when stdin and stdout are both terminals.
    ClientExit status = run(args, System.in, out, err, System.console() != null);
    out.flush();
    System.exit(status.code());
  }

  /**
   * Start-up of a short-lived process: only what the client uses, on top of what no program uses
   * ({@link LibrarySwitches}). Each setting is a library's documented switch, and one the user sets with {@code -D}
   * wins:
   * <ul>
   *   <li>the JDK's own logging for the libraries' warnings, not logback ({@link ClientLogging});</li>
   *   <li>no Vert.x metrics SPI (the client serves no {@code /metrics});</li>
   *   <li>no sampling of buffers for Netty's leak detector (a stack trace every 128 buffers, on the path of every
   *       line; the client's buffers are Vert.x's, released by it).</li>
   * </ul>
   */
  private static void startLean() {
    ClientLogging.use();
    LibrarySwitches.setUnlessGiven("vertx.disableMetrics", "true");
    LibrarySwitches.setUnlessGiven("io.netty.leakDetection.level", "disabled");
  }

  /**
   * Runs one session and returns how it ended; what it prints goes to {@code out} and {@code err}. One Vert.x
   * instance reads the configuration and then runs the session.
   */
  static ClientExit run(String[] args, InputStream in, PrintStream out, PrintStream err, boolean interactive) {
    ClientCommandLine commandLine;
    try {
      commandLine = ClientCommandLine.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("Fehler: " + e.getMessage());
      err.println(ClientCommandLine.USAGE);
      return ClientExit.USAGE;
    }
    if (commandLine.help()) {
      out.println(ClientCommandLine.USAGE);
      return ClientExit.OK;
    }
    // One connection, one event loop: the default (two per core) would set up loops that never run.
    Vertx vertx;
    try {
      Transport transport = VertxShape.beforeVertx(commandLine.conf()).selectTransport().transport();
      vertx = Vertx.builder()
        .with(new VertxOptions().setEventLoopPoolSize(1))
        .withTransport(new PollableTransport(transport))
        .build();
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return ClientExit.BAD_CONFIG;
    }
    try {
      ClientConfig config;
      try {
        ConfigValues values = ConfigLoader.load(vertx, commandLine.conf()).await();
        if (commandLine.reconnect()) {
          values = values.withCommandLine(ConfigKey.CLIENT_RECONNECT, true);
        }
        config = ClientConfig.from(values);
      } catch (ConfigException e) {
        err.println(e.getMessage());
        return ClientExit.BAD_CONFIG;
      }
      if (commandLine.host() != null) {
        config = config.withAddress(commandLine.host(), commandLine.port() > 0 ? commandLine.port() : config.port());
      }
      ClientVerticle client = new ClientVerticle(config, new ClientIo(in, out, err, interactive));
      // A failed deployment (server unreachable) has set the exit status and said why. Waiting for the
      // deployment first means Vert.x is never closed while it is still deploying.
      return vertx.deployVerticle(client)
        .transform(deployed -> client.exitStatus())
        .await();
    } finally {
      // Also what lets the process exit at once: the JVM's exit waits up to 300 ms for threads still inside native
      // code, as an open event loop is (measured: a one-line session took 0.3 s longer without this close).
      vertx.close().await();
    }
  }
}
