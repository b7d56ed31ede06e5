package de.ackservice.overload;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Connections closed before being served, counted per stage ({@code proxy}, {@code tls}) and reason
 * ({@code timeout}, {@code bad header}, {@code handshake failed}). The set is fixed so the metric's series are
 * known in advance (the detail of a failed handshake goes to the log line, not into a label).
 *
 * <p>Hook: {@link #refused} from wherever such a close is seen with its address (the PROXY header gate and the TLS
 * handshake watch, both first in the accepted channel's pipeline); {@link #count(Stage, Reason)} where it is seen
 * without one.
 */
public final class HandshakeFailures {

  /** The connection log's logger: refusals are lines of the connection log. */
  private static final Logger log = LoggerFactory.getLogger("de.ackservice.server.AckConnection");

  /**
   * The socket address of the PROXY-header connection whose bytes this event-loop thread is handing to the PROXY
   * decoder right now (set by {@link ProxyHeaderGate} around that call), or null. A malformed header fails inside that
   * call, and Vert.x reports it synchronously to the server's exception handler without the connection: this is how
   * that handler learns the address.
   */
  static final ThreadLocal<String> PROXY_READ_IN_PROGRESS = new ThreadLocal<>();

  public enum Stage {
    PROXY("proxy"), TLS("tls");

    public final String label;

    Stage(String label) {
      this.label = label;
    }
  }

  public enum Reason {
    TIMEOUT("timeout"), BAD_HEADER("bad header"), HANDSHAKE_FAILED("handshake failed");

    public final String label;

    Reason(String label) {
      this.label = label;
    }
  }

  /** The combinations that can happen, each with its own metric series. */
  public record Kind(Stage stage, Reason reason) {
  }

  public static final List<Kind> KINDS = List.of(
    new Kind(Stage.PROXY, Reason.TIMEOUT), new Kind(Stage.PROXY, Reason.BAD_HEADER),
    new Kind(Stage.TLS, Reason.TIMEOUT), new Kind(Stage.TLS, Reason.HANDSHAKE_FAILED));

  private final LongAdder[] counts = new LongAdder[Stage.values().length * Reason.values().length];

  public HandshakeFailures() {
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  /** Counts and logs (INFO, once per connection) a connection closed before being served. */
  public void refused(Stage stage, Reason reason, String remote, String detail) {
    count(stage, reason);
    var line = log.atInfo().setMessage("connection refused");
    if (remote != null) {
      line.addKeyValue("remote", remote);
    }
    line.addKeyValue("stage", stage.label).addKeyValue("reason", detail).log();
  }

  /** A client that closed or reset during its TLS handshake without a TLS error: not counted, as before. */
  void leftDuringHandshake(String remote, Throwable cause) {
    log.debug("{} left during the TLS handshake: {}", remote, rootMessage(cause));
  }

  /**
   * The socket address of the connection whose PROXY header is being decoded on this thread now, or null: for the
   * server's exception handler, which Vert.x calls from inside that decoding when the header is malformed.
   */
  public static String proxyConnectionBeingRead() {
    return PROXY_READ_IN_PROGRESS.get();
  }

  /** {@code 127.0.0.1:51000}, as the connection log writes addresses. */
  static String describe(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().getHostAddress() + ":" + inet.getPort();
    }
    return String.valueOf(address);
  }

  public static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }

  public static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }

  public void count(Stage stage, Reason reason) {
    counts[index(stage, reason)].increment();
  }

  public long count(Kind kind) {
    return counts[index(kind.stage(), kind.reason())].sum();
  }

  /** All failures of one stage, whatever the reason. */
  public long total(Stage stage) {
    long sum = 0;
    for (Reason reason : Reason.values()) {
      sum += counts[index(stage, reason)].sum();
    }
    return sum;
  }

  private static int index(Stage stage, Reason reason) {
    return stage.ordinal() * Reason.values().length + reason.ordinal();
  }
}
