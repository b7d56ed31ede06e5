import de.ackservice.transport.SelectedTransport;
import de.ackservice.transport.TransportPreference;
import de.ackservice.transport.TransportSelector;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;

/**
 * A minimal raw-framing ack server on a chosen transport, to measure what the transport alone changes (same code,
 * epoll vs io_uring side by side in one ../shared/bench/compare.sh call). Public API only, like the bench's Vert.x
 * peer: one event loop, a data handler per socket writing the acknowledgement, pause on a full write queue.
 *
 *   mvn -B -q package -DskipTests     # the jar carries de.ackservice.transport and the io_uring transport
 *   java -cp target/ack-fat.jar perf/tools/TransportAckServer.java --transport io_uring --port 5000
 */
public final class TransportAckServer {

  private static final Buffer ACK = Buffer.buffer("Daten erfolgreich empfangen!");

  public static void main(String[] args) throws Exception {
    int port = 5000;
    String transport = "auto";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--transport" -> transport = args[++i];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    SelectedTransport chosen = TransportSelector.ofThisPlatform()
        .select("--transport", TransportPreference.parse("--transport", transport));
    Vertx vertx = Vertx.builder().withTransport(chosen.transport()).build();
    NetServer server = vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true))
        .connectHandler(socket -> {
          socket.handler(data -> {
            socket.write(ACK.copy());
            if (socket.writeQueueFull()) {
              socket.pause();
              socket.drainHandler(v -> socket.resume());
            }
          });
        });
    server.listen(port, "127.0.0.1").await();
    System.out.println("listening on 127.0.0.1:" + server.actualPort() + " transport=" + chosen.describe());
  }
}
