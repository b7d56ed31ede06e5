package de.ackservice.tls;

import de.ackservice.config.ConfigException;
import de.ackservice.config.TlsConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the servers' certificate current without a restart: every {@code tlsReloadMs} it reads the PEM files (on a
 * worker thread) and, when their bytes changed and the new pair checks out, hands it to every listening NetServer
 * with {@link NetServer#updateSSLOptions}. New connections then get the new certificate; connections already
 * established keep the session they negotiated. A change that does not check out is logged once and ignored: the
 * server goes on with the certificate it has.
 */
public final class TlsReloader {

  private static final Logger log = LoggerFactory.getLogger(TlsReloader.class);

  private final TlsConfig config;
  private final List<NetServer> servers = new CopyOnWriteArrayList<>();
  private final AtomicLong applied = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private volatile TlsMaterial current;
  /** The last files refused, so that the same bad files are not checked and logged again at every period. */
  private volatile TlsFiles lastRefused;
  private volatile String lastReadProblem;
  private Vertx vertx;
  private long timerId = -1;
  private boolean checking;

  /**
   * Reads and checks the files now (blocking). Files unusable at start-up are a configuration error: throws
   * {@link ConfigException}. Later, unusable files are refused and logged (see {@link #check()}).
   */
  public TlsReloader(TlsConfig config) {
    this.config = config;
    try {
      this.current = TlsMaterial.load(config);
    } catch (UnusableTlsFilesException e) {
      throw new ConfigException("Invalid configuration: " + e.getMessage(), e);
    }
    warnIfExpired(current);
  }

  /** What a server that starts listening now must use. */
  public TlsMaterial current() {
    return current;
  }

  /** A listening server to keep current; the first one starts the periodic check. */
  public synchronized void register(Vertx owner, NetServer server) {
    servers.add(server);
    if (vertx == null) {
      vertx = owner;
    }
    if (timerId < 0 && config.reloads()) {
      timerId = vertx.setPeriodic(config.reloadMs(), id -> check());
    }
  }

  /** A server that stops listening; the check stops with the last one. */
  public synchronized void unregister(NetServer server) {
    servers.remove(server);
    if (servers.isEmpty() && timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  /** Certificates taken into use since start-up. */
  public long reloadsApplied() {
    return applied.get();
  }

  /** Changed files that were not taken into use (unreadable, or key and certificate do not match). */
  public long reloadsRefused() {
    return refused.get();
  }

  public Instant certificateNotAfter() {
    return current.notAfter();
  }

  /**
   * Reads the files and, if they changed and check out, updates every server. Completes with whether a new
   * certificate is now in use; never fails. Runs on the timer's event loop, one check at a time.
   */
  Future<Boolean> check() {
    if (checking) {
      return Future.succeededFuture(false);
    }
    checking = true;
    TlsFiles inUse = current.files();
    TlsFiles refusedBefore = lastRefused;
    return vertx.executeBlocking(() -> TlsFiles.read(config))
      .compose(files -> {
        lastReadProblem = null;
        if (files.sameAs(inUse) || files.sameAs(refusedBefore)) {
          return Future.succeededFuture(false);
        }
        return vertx.executeBlocking(() -> TlsMaterial.from(files))
          .compose(this::apply)
          .recover(problem -> {
            lastRefused = files;
            refused.incrementAndGet();
            log.warn("TLS files changed but were not taken into use, still serving {}: {}", current.describe(),
              problem.getMessage());
            return Future.succeededFuture(false);
          });
      }, unreadable -> {
        // Often a moment during a replacement; said once per distinct problem, not at every period.
        if (!unreadable.getMessage().equals(lastReadProblem)) {
          lastReadProblem = unreadable.getMessage();
          log.warn("TLS files cannot be read, still serving {}: {}", current.describe(), unreadable.getMessage());
        }
        return Future.succeededFuture(false);
      })
      .eventually(() -> {
        checking = false;
        return Future.succeededFuture();
      });
  }

  private Future<Boolean> apply(TlsMaterial material) {
    List<Future<Boolean>> updates = servers.stream()
      .map(server -> server.updateSSLOptions(material.sslOptions()))
      .toList();
    return Future.all(updates).map(done -> {
      current = material;
      applied.incrementAndGet();
      log.info("TLS certificate reloaded: new connections get {}", material.describe());
      warnIfExpired(material);
      return true;
    });
  }

  private static void warnIfExpired(TlsMaterial material) {
    if (material.notAfter().isBefore(Instant.now())) {
      log.warn("TLS certificate has expired: {}", material.describe());
    }
  }
}
