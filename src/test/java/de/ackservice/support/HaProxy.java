package de.ackservice.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's HAProxy (2.6) run in the foreground for one test: a TCP frontend on 127.0.0.1 in front of a backend the
 * test describes, and its runtime API (an admin socket) to change servers while it runs, as an endpoints controller
 * changes a Service. HAProxy cannot bind port 0, so the frontend port is a free one the kernel picked a moment
 * before (bound and released); should another process take it in between, HAProxy fails to start and the next
 * free port is tried (bounded).
 */
public final class HaProxy implements AutoCloseable {

  private static final int START_ATTEMPTS = 5;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final Process process;
  private final Path dir;
  private final Path adminSocket;
  private final int port;
  private final ProcessOutput output;

  private HaProxy(Process process, Path dir, Path adminSocket, int port) {
    this.process = process;
    this.dir = dir;
    this.adminSocket = adminSocket;
    this.port = port;
    this.output = new ProcessOutput(process);
  }

  /**
   * Starts HAProxy with {@code frontendAndBackend}: configuration text in which {@code %BIND%} stands for the
   * frontend's {@code bind} address. Global settings and TCP-mode defaults come from here.
   */
  public static HaProxy start(String frontendAndBackend) throws IOException, InterruptedException {
    String haproxy = ExternalTool.require("haproxy", "haproxy");
    Path dir = Files.createTempDirectory("haproxy");
    Path admin = dir.resolve("admin.sock");
    AssertionError last = null;
    for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      int port = freePort();
      String config = "global\n"
        + "  stats socket " + admin + " mode 600 level admin\n"
        + "  log stdout format raw daemon info\n"
        + "defaults\n"
        + "  mode tcp\n"
        + "  log global\n"
        + "  option tcplog\n"
        + "  timeout connect 2s\n"
        + "  timeout client 120s\n"
        + "  timeout server 120s\n"
        + "  timeout check 2s\n"
        + frontendAndBackend.replace("%BIND%", "127.0.0.1:" + port);
      Path file = Files.writeString(dir.resolve("haproxy.cfg"), config);
      Process process = new ProcessBuilder(haproxy, "-db", "-f", file.toString()).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      HaProxy proxy = new HaProxy(process, dir, admin, port);
      try {
        proxy.awaitAdminSocket();
        return proxy;
      } catch (AssertionError notStarted) {
        last = notStarted;
        proxy.close();
        dir = Files.createTempDirectory("haproxy");
        admin = dir.resolve("admin.sock");
      }
    }
    throw last;
  }

  public int port() {
    return port;
  }

  /** One command of HAProxy's runtime API (management guide, "Unix Socket commands"); returns its answer. */
  public String command(String command) throws IOException {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(adminSocket));
      channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
      StringBuilder answer = new StringBuilder();
      ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
      while (channel.read(buffer) >= 0) {
        buffer.flip();
        answer.append(StandardCharsets.UTF_8.decode(buffer));
        buffer.clear();
      }
      return answer.toString();
    }
  }

  /**
   * The operational state of a server as the runtime API shows it ({@code show servers state}): 0 stopped (down or
   * in maintenance), 1 starting, 2 running (up), 3 stopping.
   */
  public int operationalState(String backend, String server) throws IOException {
    for (String line : command("show servers state " + backend).lines().toList()) {
      String[] fields = line.split(" ");
      if (fields.length > 5 && !line.startsWith("#") && fields[1].equals(backend) && fields[3].equals(server)) {
        return Integer.parseInt(fields[5]);
      }
    }
    throw new AssertionError("no server " + backend + "/" + server + " in:\n" + command("show servers state"));
  }

  /** The result of the server's last health check as {@code show stat} gives it, e.g. L7OK, L7STS, L4CON. */
  public String lastCheckStatus(String backend, String server) throws IOException {
    List<String> lines = command("show stat").lines().toList();
    List<String> header = List.of(lines.get(0).replaceFirst("^# ", "").split(","));
    int column = header.indexOf("check_status");
    for (String line : lines.subList(1, lines.size())) {
      String[] fields = line.split(",", -1);
      if (fields.length > column && fields[0].equals(backend) && fields[1].equals(server)) {
        return fields[column].replace("* ", "").strip();
      }
    }
    throw new AssertionError("no server " + backend + "/" + server + " in show stat");
  }

  public String output() {
    return output.text();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private void awaitAdminSocket() throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        process.waitFor(5, TimeUnit.SECONDS);
        throw new AssertionError("haproxy exited " + process.exitValue() + ":\n" + output.text());
      }
      if (Files.exists(adminSocket)) {
        try {
          command("show info");
          return;
        } catch (IOException notYet) {
          // The socket file exists before HAProxy accepts on it.
        }
      }
      output.awaitMore(50);
    }
    throw new AssertionError("haproxy did not open its admin socket within " + START_TIMEOUT + ":\n" + output.text());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** A process's merged output, collected line by line on a daemon thread. */
  private static final class ProcessOutput {
    private final List<String> lines = new ArrayList<>();

    ProcessOutput(Process process) {
      Thread pump = new Thread(() -> {
        try (var reader = process.inputReader(StandardCharsets.UTF_8)) {
          for (String line; (line = reader.readLine()) != null; ) {
            synchronized (lines) {
              lines.add(line);
              lines.notifyAll();
            }
          }
        } catch (IOException ignored) {
          // The process ended.
        }
      }, "haproxy-output");
      pump.setDaemon(true);
      pump.start();
    }

    void awaitMore(long millis) throws InterruptedException {
      synchronized (lines) {
        lines.wait(millis);
      }
    }

    String text() {
      synchronized (lines) {
        return String.join("\n", lines);
      }
    }
  }
}
