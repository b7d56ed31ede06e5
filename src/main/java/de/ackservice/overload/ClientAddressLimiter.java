package de.ackservice.overload;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Connections at once per client address, across all verticle instances (one instance of this class per service).
 * An address holds an entry only while it has connections: the entry leaves when its count drops to 0, so memory
 * is bounded by the connections open, whatever the number of addresses seen.
 *
 * <p>Hooks: {@link #tryAcquire(String)} when a connection becomes known with its client address (the PROXY header's
 * when that is on), {@link #release(String)} exactly once when that connection closes, if it was acquired.
 */
public final class ClientAddressLimiter {

  private final int maxPerClient;
  private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();
  private final LongAdder rejected = new LongAdder();

  /** @param maxPerClient the most connections at once from one address; 0 means no limit (nothing is tracked) */
  public ClientAddressLimiter(int maxPerClient) {
    this.maxPerClient = maxPerClient;
  }

  /** @return true if the connection may be served (and must later be released); false: close it, it is counted */
  public boolean tryAcquire(String address) {
    if (maxPerClient == 0) {
      return true;
    }
    boolean[] admitted = {false};
    // compute() is atomic per key: two event loops cannot both take the last slot of one address.
    open.compute(address, (key, count) -> {
      int current = count == null ? 0 : count;
      if (current >= maxPerClient) {
        return count;
      }
      admitted[0] = true;
      return current + 1;
    });
    if (!admitted[0]) {
      rejected.increment();
    }
    return admitted[0];
  }

  public void release(String address) {
    if (maxPerClient == 0) {
      return;
    }
    // Returning null removes the entry: an address without connections costs nothing.
    open.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
  }

  public int maxPerClient() {
    return maxPerClient;
  }

  /** Connections closed at once because their address already had {@link #maxPerClient()}. */
  public long rejected() {
    return rejected.sum();
  }

  /** Addresses with at least one connection now (the size of the table). */
  public int trackedAddresses() {
    return open.size();
  }

  /** Connections open now from this address, as counted here. */
  public int openFrom(String address) {
    return open.getOrDefault(address, 0);
  }

  /** The key for a connection: its host address without the port (the PROXY header's when that is on). */
  public static String hostOf(io.vertx.core.net.SocketAddress remote) {
    String host = remote.hostAddress();
    return host != null ? host : String.valueOf(remote);
  }
}
