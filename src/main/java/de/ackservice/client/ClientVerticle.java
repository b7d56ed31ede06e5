package de.ackservice.client;

import de.ackservice.config.ClientConfig;
import de.ackservice.config.Framing;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

import java.util.concurrent.Semaphore;

/**
 * Wiring only: connects a {@link NetClient} to the server, then lets a {@link StdinReader} feed lines to a
 * {@link ClientSession} and a {@link ReplyPrinter} print its replies. {@link #exitStatus()} completes once the
 * session is over (or could not start) and everything has been printed; deployment fails when the server cannot be
 * reached.
 */
public final class ClientVerticle extends VerticleBase {

  /**
   * Scripts: lines read ahead beyond the window, so a reply is followed at once by the next line, and read in
   * batches of up to this many.
   */
  private static final int READ_AHEAD_BEYOND_WINDOW = 256;
  private static final int READ_BATCH = 128;

  private final ClientConfig config;
  private final ClientIo io;
  private final Promise<ClientExit> exitStatus = Promise.promise();
  private NetClient client;
  private StdinReader reader;

  public ClientVerticle(ClientConfig config, ClientIo io) {
    this.config = config;
    this.io = io;
  }

  /** Completes with the status the program exits with, after every reply and message has been written. */
  public Future<ClientExit> exitStatus() {
    return exitStatus.future();
  }

  @Override
  public Future<?> start() {
    client = vertx.createNetClient(ClientTls.apply(config.tls(), new NetClientOptions()
      .setConnectTimeout(config.connectTimeoutMs())
      .setTcpNoDelay(true)));
    return connect()
      .onFailure(this::cannotConnect)
      .onSuccess(this::talk);
  }

  /** A new connection to the server: the first one, and those of {@code clientReconnect}. */
  private Future<NetSocket> connect() {
    return client.connect(config.port(), config.host());
  }

  @Override
  public Future<?> stop() {
    if (reader != null) {
      reader.stop();
    }
    return client.close();
  }

  private void talk(NetSocket socket) {
    // Interactive sessions are stop-and-wait in both framings: each reply appears before the next prompt.
    int window = io.interactive() || config.framing() == Framing.RAW ? 1 : config.window();
    Semaphore readAhead = new Semaphore(io.interactive() ? 1 : window + READ_AHEAD_BEYOND_WINDOW);
    ReplyPrinter printer = new ReplyPrinter(io, config.ack(), readAhead);
    ClientSession session = new ClientSession(vertx, config, window, printer, this::connect);
    session.start(socket);
    reader = new StdinReader(io, config, readAhead, READ_BATCH, batch -> context.runOnContext(v -> session.onInput(batch)));
    session.exitStatus().onComplete(status -> reader.stop()).onComplete(exitStatus);
    reader.start();
  }

  private void cannotConnect(Throwable error) {
    String tlsProblem = ClientTls.explain(error, config.tls());
    String reason = tlsProblem != null ? tlsProblem : ClientSession.reason(error);
    String address = config.host() + ":" + config.port();
    if (!reason.contains(":" + config.port())) {
      reason += " (" + address + ")";
    }
    io.err().println("Fehler bei der Verbindung zum Server: " + reason);
    io.err().flush();
    exitStatus.complete(ClientExit.CANNOT_CONNECT);
  }
}
