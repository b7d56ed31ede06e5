package de.ackservice.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Vert.x instance built with the selected transport serves a real socket on loopback, and the kernel confirms which
 * transport it runs on: an io_uring instance holds {@code anon_inode:[io_uring]} descriptors, an epoll instance
 * {@code anon_inode:[eventpoll]} ones (Vert.x's public API only says "native" or not).
 *
 * <p>This machine's kernel allows io_uring, so {@code auto} must pick it here; where io_uring is refused (a
 * container runtime's default seccomp profile), the container test shows the fallback.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransportOnSocketTest {

  private static final String ACK = "Daten erfolgreich empfangen!";

  private Vertx vertx;

  @AfterEach
  void closeVertx() throws Exception {
    if (vertx != null) {
      vertx.close().await(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void autoPicksIoUringHereAndServesASocketOnIt() throws Exception {
    SelectedTransport chosen = TransportSelector.ofThisPlatform().select("transport", TransportPreference.AUTO);
    assertThat(chosen.describe()).as("io_uring is allowed on this machine").isEqualTo("io_uring");

    long ringsBefore = openDescriptors("anon_inode:[io_uring]");
    int port = serveAcks(chosen);
    assertThat(exchange(port, "hallo")).isEqualTo(ACK);
    assertThat(vertx.isNativeTransportEnabled()).isTrue();
    assertThat(openDescriptors("anon_inode:[io_uring]")).as("io_uring rings held by the event loop")
        .isGreaterThan(ringsBefore);
  }

  @Test
  void epollWhenAskedForServesOnEpollAndOpensNoRing() throws Exception {
    SelectedTransport chosen = TransportSelector.ofThisPlatform().select("transport", TransportPreference.EPOLL);
    long ringsBefore = openDescriptors("anon_inode:[io_uring]");
    long epollsBefore = openDescriptors("anon_inode:[eventpoll]");
    int port = serveAcks(chosen);
    assertThat(exchange(port, "hallo")).isEqualTo(ACK);
    assertThat(chosen.name()).isEqualTo("epoll");
    assertThat(openDescriptors("anon_inode:[eventpoll]")).isGreaterThan(epollsBefore);
    assertThat(openDescriptors("anon_inode:[io_uring]")).isEqualTo(ringsBefore);
  }

  @Test
  void nioWhenAskedForIsNotNative() throws Exception {
    SelectedTransport chosen = TransportSelector.ofThisPlatform().select("transport", TransportPreference.NIO);
    int port = serveAcks(chosen);
    assertThat(exchange(port, "hallo")).isEqualTo(ACK);
    assertThat(vertx.isNativeTransportEnabled()).isFalse();
  }

  /** A minimal ack server on the chosen transport: the wiring the application does, on port 0. */
  private int serveAcks(SelectedTransport chosen) throws Exception {
    vertx = Vertx.builder().withTransport(chosen.transport()).build();
    NetServer server = vertx.createNetServer()
        .connectHandler(socket -> socket.handler(data -> socket.write(Buffer.buffer(ACK))));
    return server.listen(0, "127.0.0.1").await(20, TimeUnit.SECONDS).actualPort();
  }

  private static String exchange(int port, String message) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(message.getBytes(StandardCharsets.UTF_8));
      out.flush();
      byte[] reply = new byte[ACK.length()];
      InputStream in = socket.getInputStream();
      int read = 0;
      while (read < reply.length) { // bounded: each read returns >= 1 byte or ends, and times out after 10 s
        int n = in.read(reply, read, reply.length - read);
        if (n < 0) {
          break;
        }
        read += n;
      }
      return new String(reply, 0, read, StandardCharsets.UTF_8);
    }
  }

  /** Descriptors of this process whose link names {@code kind}, e.g. {@code anon_inode:[io_uring]}. */
  private static long openDescriptors(String kind) throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString().equals(kind);
        } catch (IOException gone) { // closed between list and read
          return false;
        }
      }).count();
    }
  }
}
