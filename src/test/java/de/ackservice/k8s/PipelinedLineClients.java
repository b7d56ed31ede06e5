package de.ackservice.k8s;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A steady load of line-framed clients, each pipelining up to {@code window} unacknowledged lines over one
 * connection at a time, as the service's own client does. A connection the server ends is recorded with how it
 * ended, and the client connects again (through the load balancer, so to another instance) and goes on, until
 * {@link #stop()}: then each client stops writing, waits for its outstanding acknowledgements and half-closes, so
 * the server ends the connection normally. Blocking sockets on plain threads: every count is exact and owned by
 * one thread until {@link #stop()} joins them.
 */
final class PipelinedLineClients {

  /** How one connection ended. */
  enum End {
    /** The server closed it (end of stream) while the client was still sending. */
    CLOSED_BY_SERVER,
    /** The client finished: it half-closed after its last acknowledgement and then read the server's close. */
    FINISHED_BY_CLIENT,
    /** A reset or another socket error, or no close within the deadline. */
    BROKEN
  }

  /** One connection of one client: the lines it wrote, the acknowledgements it read, and how it ended. */
  record Connection(int client, int localPort, long sent, long acked, long strayBytes, End end, String error) {
    long unacknowledged() {
      return sent - acked;
    }
  }

  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final int READ_TIMEOUT_MS = 30_000;
  private static final int MAX_CONNECTIONS_PER_CLIENT = 100;
  private static final int MAX_CONNECT_ATTEMPTS = 50;

  private final int port;
  private final byte[] ack;
  private final int window;
  private final long pauseNanosPerLine;
  private final List<Thread> threads = new ArrayList<>();
  private final List<Connection> connections = new ArrayList<>();
  private volatile boolean stopping;

  /**
   * @param linesPerSecond per client: the load is steady, not as fast as the machine allows, so that the instances
   *                       being started alongside get CPU too
   */
  PipelinedLineClients(int port, String ack, int clients, int window, int linesPerSecond) {
    this.port = port;
    this.ack = (ack + "\n").getBytes(StandardCharsets.UTF_8);
    this.window = window;
    this.pauseNanosPerLine = TimeUnit.SECONDS.toNanos(1) / linesPerSecond;
    for (int i = 0; i < clients; i++) {
      int client = i;
      Thread thread = new Thread(() -> run(client), "line-client-" + i);
      thread.setDaemon(true);
      threads.add(thread);
    }
  }

  void start() {
    threads.forEach(Thread::start);
  }

  /** Ends the load as described above and returns every connection the clients made. */
  List<Connection> stop() throws InterruptedException {
    stopping = true;
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(60));
      if (thread.isAlive()) {
        throw new AssertionError(thread.getName() + " did not finish within 60 s");
      }
    }
    synchronized (connections) {
      return List.copyOf(connections);
    }
  }

  /** The connections that have ended so far. */
  List<Connection> ended() {
    synchronized (connections) {
      return List.copyOf(connections);
    }
  }

  private void run(int client) {
    long line = 0;
    for (int n = 0; n < MAX_CONNECTIONS_PER_CLIENT && !stopping; n++) {
      Socket socket = connect();
      if (socket == null) {
        record(new Connection(client, -1, 0, 0, 0, End.BROKEN, "could not connect in " + MAX_CONNECT_ATTEMPTS
          + " attempts"));
        return;
      }
      line = serve(client, socket, line);
    }
  }

  /** Writes lines over one connection until it ends or the load stops; returns the next line number. */
  private long serve(int client, Socket socket, long firstLine) {
    AckReader reader = new AckReader(socket);
    Thread readerThread = new Thread(reader, "line-client-" + client + "-reader");
    readerThread.setDaemon(true);
    readerThread.start();
    long sent = 0;
    long line = firstLine;
    String error = null;
    try {
      OutputStream out = socket.getOutputStream();
      long next = System.nanoTime();
      while (!stopping && !reader.done) {
        if (sent - reader.acked >= window) {
          LockSupport.parkNanos(100_000); // window full: wait for acknowledgements (bounded by the reader's timeout)
          continue;
        }
        out.write(("client " + client + " line " + line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        sent++;
        line++;
        next += pauseNanosPerLine;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait); // pacing of a steady load, not a synchronisation
        }
      }
      if (!reader.done) {
        // Stopping: collect the outstanding acknowledgements, then half-close and read the server's close.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READ_TIMEOUT_MS);
        while (reader.acked < sent && !reader.done && System.nanoTime() < deadline) {
          LockSupport.parkNanos(1_000_000);
        }
        reader.clientFinished = true;
        socket.shutdownOutput();
      }
    } catch (IOException e) {
      // A write after the server closed: the reader tells how the connection ended.
      error = e.toString();
    }
    try {
      // The socket stays open until the reader has seen the connection end: closing it earlier would be our reset.
      readerThread.join(READ_TIMEOUT_MS + 5_000L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        socket.close();
      } catch (IOException ignored) {
        // already ended
      }
    }
    End end = reader.end == null ? End.BROKEN : reader.end;
    record(new Connection(client, socket.getLocalPort(), sent, reader.acked, reader.stray, end,
      reader.error != null ? reader.error : end == End.BROKEN ? error : null));
    return line;
  }

  private Socket connect() {
    for (int attempt = 0; attempt < MAX_CONNECT_ATTEMPTS && !stopping; attempt++) {
      Socket socket = new Socket();
      try {
        socket.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MS);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        socket.setTcpNoDelay(true);
        return socket;
      } catch (IOException e) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // nothing to release
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // back off before the next attempt
      }
    }
    return null;
  }

  private void record(Connection connection) {
    synchronized (connections) {
      connections.add(connection);
    }
  }

  /** Reads acknowledgement lines and checks each byte against the expected text. */
  private final class AckReader implements Runnable {
    private final Socket socket;
    volatile long acked;
    volatile long stray;
    volatile boolean done;
    volatile boolean clientFinished;
    volatile End end;
    volatile String error;

    AckReader(Socket socket) {
      this.socket = socket;
    }

    @Override
    public void run() {
      int at = 0;
      byte[] buffer = new byte[64 * 1024];
      try {
        InputStream in = socket.getInputStream();
        for (int n; (n = in.read(buffer)) >= 0; ) {
          for (int i = 0; i < n; i++) {
            if (buffer[i] != ack[at]) {
              throw new IOException("unexpected byte " + buffer[i] + " at offset " + at + " of an acknowledgement");
            }
            if (++at == ack.length) {
              at = 0;
              acked++;
            }
          }
        }
        stray = at;
        end = clientFinished ? End.FINISHED_BY_CLIENT : End.CLOSED_BY_SERVER;
      } catch (SocketException | java.net.SocketTimeoutException e) {
        stray = at;
        end = End.BROKEN;
        error = e.toString();
      } catch (IOException e) {
        stray = at;
        end = End.BROKEN;
        error = e.toString();
      } finally {
        done = true;
      }
    }
  }
}
