package de.ackservice.overload;

import de.ackservice.config.KeepAliveConfig;
import de.ackservice.config.ServerConfig;
import io.vertx.core.net.NetServerOptions;

import java.util.concurrent.TimeUnit;

/**
 * The service's defences against overload and hostile clients, one instance per service (shared by all verticle
 * instances): the per-client connection limit, memory-pressure admission, accept failures (descriptor exhaustion)
 * and the count of connections that never got past their PROXY header or TLS handshake.
 *
 * <p>Hooks, each one line in the server's code:
 * <ul>
 *   <li>{@link #configure(NetServerOptions, ServerConfig)} on the NetServer's options (handshake deadlines,
 *       keepalive);</li>
 *   <li>{@link #admit(String)} when a connection arrives (its client host), {@link #release(String)} when an admitted
 *       one closes;</li>
 *   <li>{@link #ready()} in readiness; {@link #start()} / {@link #stop()} with the service;</li>
 *   <li>{@link #acceptGate()} for the process's {@link GatedTransport}, before the server listens.</li>
 * </ul>
 */
public final class Overload {

  /** What {@link #admit(String)} decided. */
  public enum Admission {
    ADMITTED(null),
    CLIENT_LIMIT("rejected: per-client connection limit reached"),
    MEMORY_PRESSURE("rejected: memory pressure");

    /** The reason as the close log line gives it. */
    public final String reason;

    Admission(String reason) {
      this.reason = reason;
    }
  }

  private final ClientAddressLimiter clients;
  private final MemoryPressure memory;
  private final AcceptFailures acceptFailures = new AcceptFailures();
  private final HandshakeFailures handshakes = new HandshakeFailures();
  private final AcceptGate acceptGate;

  public Overload(ServerConfig config) {
    this(config, new MemoryPressure(config.overloadMemoryFraction()));
  }

  public Overload(ServerConfig config, MemoryPressure memory) {
    this.clients = new ClientAddressLimiter(config.maxConnectionsPerClient());
    this.memory = memory;
    this.acceptGate = new AcceptGate(handshakes, config.keepAlive());
  }

  /** Handshake deadlines and TCP keepalive, all through Vert.x's own options. */
  public static NetServerOptions configure(NetServerOptions options, ServerConfig config) {
    options.setSslHandshakeTimeout(config.handshakeTimeoutMs()).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
      .setProxyProtocolTimeout(config.handshakeTimeoutMs()).setProxyProtocolTimeoutUnit(TimeUnit.MILLISECONDS);
    KeepAliveConfig keepAlive = config.keepAlive();
    if (keepAlive.enabled()) {
      // SO_KEEPALIVE here; its timing as the bootstrap's child options in AcceptGate (Vert.x 5.0 has no option).
      options.setTcpKeepAlive(true);
    }
    return options;
  }

  /** For {@link GatedTransport#use(AcceptGate)}: keepalive timing, PROXY header gate, TLS handshake watch. */
  public AcceptGate acceptGate() {
    return acceptGate;
  }

  public void start() {
    acceptFailures.install();
    memory.start();
  }

  public void stop() {
    acceptFailures.uninstall();
    memory.stop();
  }

  /**
   * Decides on a new connection from {@code clientHost}: memory first (it takes nothing), then the per-client limit.
   * Also tells {@link AcceptFailures} that accepting works. An {@code ADMITTED} connection must be
   * {@link #release(String) released} when it closes.
   */
  public Admission admit(String clientHost) {
    acceptFailures.accepted();
    if (!memory.admits()) {
      return Admission.MEMORY_PRESSURE;
    }
    return clients.tryAcquire(clientHost) ? Admission.ADMITTED : Admission.CLIENT_LIMIT;
  }

  public void release(String clientHost) {
    clients.release(clientHost);
  }

  /** False under memory pressure: readiness answers 503 so that a balancer sends new clients elsewhere. */
  public boolean ready() {
    return !memory.overloaded();
  }

  public ClientAddressLimiter clients() {
    return clients;
  }

  public MemoryPressure memory() {
    return memory;
  }

  public AcceptFailures acceptFailures() {
    return acceptFailures;
  }

  public HandshakeFailures handshakes() {
    return handshakes;
  }
}
