package de.ackservice.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A plain blocking TCP client for exact byte accounting: unlike a NetSocket it can half-close, so a test can send
 * everything, signal the end, and read the server's complete answer up to its close. Every read is bounded by a
 * socket timeout. Call it off the event loop (JUnit's thread or executeBlocking).
 */
public final class BlockingClient implements AutoCloseable {

  public static final int TIMEOUT_MS = 20_000;

  private final Socket socket;

  public BlockingClient(int port) throws IOException {
    this("127.0.0.1", port);
  }

  /** Connects from {@code sourceHost} (any 127.0.0.0/8 address works on Linux loopback) to 127.0.0.1. */
  public BlockingClient(String sourceHost, int port) throws IOException {
    socket = new Socket();
    socket.bind(new InetSocketAddress(sourceHost, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
    socket.setSoTimeout(TIMEOUT_MS);
    socket.setTcpNoDelay(true);
  }

  public BlockingClient send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  public BlockingClient send(String text) throws IOException {
    return send(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Reads exactly {@code n} bytes, or fails after the timeout. */
  public byte[] read(int n) throws IOException {
    return socket.getInputStream().readNBytes(n);
  }

  /** Half-closes, then reads everything until the server closes the connection. */
  public byte[] finishAndReadAll() throws IOException {
    socket.shutdownOutput();
    return readToEnd();
  }

  /** Reads until the server closes the connection (or the timeout fails the read). */
  public byte[] readToEnd() throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] chunk = new byte[64 * 1024];
    try {
      for (int n; (n = in.read(chunk)) >= 0; ) {
        all.write(chunk, 0, n);
      }
    } catch (java.net.SocketException reset) {
      // A reset after the server closed: what arrived before it is the answer.
    }
    return all.toByteArray();
  }

  /** True when the server has closed the connection: a read returns end-of-stream (waits at most the timeout). */
  public boolean closedByServer() throws IOException {
    try {
      return socket.getInputStream().read() < 0;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  /** Connects until the server refuses (it stops listening asynchronously); bounded by {@code attempts}. */
  public static boolean refusedWithinAttempts(int port, int attempts) throws IOException {
    for (int i = 0; i < attempts; i++) {
      try (BlockingClient probe = new BlockingClient(port)) {
        probe.socket().setSoLinger(true, 0);
      } catch (java.net.ConnectException refused) {
        return true;
      } catch (java.net.SocketException resetWhileTheListenerCloses) {
        // Accepted by the kernel just before the listener closed: try again.
      }
      // A paced probe, not a flood: a flood of connections keeps the event loop accepting and serving them, which
      // delays the very close the probe waits for (seen on io_uring). Bounded: attempts x 5 ms.
      java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
    }
    return false;
  }

  public Socket socket() {
    return socket;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
