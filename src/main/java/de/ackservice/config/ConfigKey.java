package de.ackservice.config;

import io.vertx.core.http.ClientAuth;

import java.util.Locale;

/**
 * The table of configuration keys: name, default, rule and the sentence README's key table shows. The records
 * ({@link ServerConfig}, {@link ClientConfig} and their parts) read their values through it, the loader knows from it
 * which names exist in each layer, and tests check {@code conf/config.json} and README against it.
 *
 * <p>Adding a key: one constant here (in the order README lists it) and a component in the record that uses it,
 * read with {@link ConfigValues}; then the line in {@code conf/config.json} and in README that the tests ask for.
 * Rules that involve several keys (TLS files in pairs, the acknowledgement and the framing) live in the records.
 */
public enum ConfigKey {

  HOST("host", "0.0.0.0", Rule.address("an address to listen on, e.g. 0.0.0.0"),
    "address the server binds"),
  PORT("port", 5000, Rule.integer(0, 65535),
    "TCP port; `0` picks a free port (logged at start-up), shared by all instances"),
  INSTANCES("instances", 0, Rule.integer(0, 1024),
    "server verticle instances (each on its own event loop); `0` = half the available processors, at least 1 (see "
      + "Performance). `-instances N` on the command line overrides it"),
  TRANSPORT("transport", "auto", Rule.transport(),
    "socket transport of the server, the client and `bench`: `auto` (io_uring where the kernel and the container "
      + "runtime allow it, else epoll, else NIO; the start-up line says which and why), or `io_uring`, `epoll`, `nio` "
      + "(start-up stops with exit 78 when that one is not available). Read before Vert.x starts",
    ReadWhen.BEFORE_VERTX),
  FRAMING("framing", "raw", Rule.choice(Framing.class),
    "`raw` or `line`, see Protocol"),
  ACK("ack", "Daten erfolgreich empfangen!", Rule.text(),
    "acknowledgement text, sent as UTF-8 (1–4096 bytes; no line break in `line` framing)"),
  MAX_LINE_BYTES("maxLineBytes", 65536, Rule.integer(1, 64 * 1024 * 1024),
    "longest line accepted in `line` framing, in bytes without the terminator"),
  MAX_CONNECTIONS("maxConnections", 0, Rule.integer(0, 10_000_000),
    "connections served at once, across all instances; `0` = unlimited"),
  OVER_LIMIT_POLICY("overLimitPolicy", "queue", Rule.choice(OverLimitPolicy.class),
    "over the limit: `queue` holds the connection unread and serves it in arrival order when a slot frees (with "
      + "`maxConnections` 1 this is the seed's single-user server); `reject` closes it at once and logs it"),
  MAX_QUEUED_CONNECTIONS("maxQueuedConnections", 0, Rule.integer(0, 10_000_000),
    "with `overLimitPolicy` `queue`: connections waiting for a slot at most (each holds memory and a descriptor); "
      + "one more is closed at once, logged and counted. `0` = no bound"),
  IDLE_TIMEOUT_MS("idleTimeoutMs", 0, Rule.integer(0, Limits.ONE_DAY_MS),
    "close a served connection that has sent nothing for this long (closed within 1.5× of it); `0` = off. Queued "
      + "connections are not idle-closed, nor is a connection whose acknowledgements wait for it to read them (see "
      + "`writeStallTimeoutMs`)"),
  WRITE_STALL_TIMEOUT_MS("writeStallTimeoutMs", 0, Rule.integer(0, Limits.ONE_DAY_MS),
    "close a served connection whose acknowledgements have waited this long unwritten because it does not read them "
      + "(reading it is paused meanwhile), reason `slow reader`; a quiet client that reads is never closed by it. "
      + "`0` = off"),
  SHUTDOWN_GRACE_MS("shutdownGraceMs", 10000, Rule.integer(0, Limits.ONE_DAY_MS),
    "on SIGTERM/SIGINT: how long connected clients keep being served before the rest are closed"),
  WRITE_QUEUE_MAX_BYTES("writeQueueMaxBytes", 65536, Rule.integer(1024, 64 * 1024 * 1024),
    "per connection: acknowledgements queued for a client that is not reading, above which the server stops "
      + "reading from it until the queue drains (backpressure)"),
  EVENT_LOOP_SPIN_MICROS("eventLoopSpinMicros", 0, Rule.integer(0, 1000),
    "after each batch of reads, an event loop keeps polling its sockets for this many microseconds instead of "
      + "sleeping, so that a client's next message does not wait for the loop's thread (and its CPU) to wake up: "
      + "lower latency at low load, paid in CPU (up to this long per batch; see Performance, \"Event-loop spin\"). "
      + "`0` = off"),
  MANAGEMENT_HOST("managementHost", "0.0.0.0", Rule.address("an address to listen on, e.g. 0.0.0.0"),
    "address of the management endpoint (health and metrics, see Operations)"),
  MANAGEMENT_PORT("managementPort", 9090, Rule.integer(ManagementConfig.OFF, 65535),
    "port of the management endpoint; `0` picks a free port (logged at start-up), `-1` turns the endpoint off",
    ReadWhen.BEFORE_VERTX),
  METRICS("metrics", true, Rule.flag(),
    "collect Prometheus metrics and serve them at `/metrics` on the management port (only while that port is on)",
    ReadWhen.BEFORE_VERTX),
  TLS_CERT_PATH("tlsCertPath", "", Rule.readableFileOrEmpty(),
    "PEM file with the server's certificate (chain, leaf first); with `tlsKeyPath` it turns on TLS on `port`. "
      + "Empty = plain TCP"),
  TLS_KEY_PATH("tlsKeyPath", "", Rule.readableFileOrEmpty(),
    "PEM file with the certificate's private key (PKCS#8, or PKCS#1/SEC1)"),
  TLS_CLIENT_AUTH("tlsClientAuth", "none", Rule.choice(ClientAuth.class),
    "mutual TLS: `none`, `request` (a client certificate is checked if sent) or `required` (no connection without "
      + "one); needs `tlsTrustPath`"),
  TLS_TRUST_PATH("tlsTrustPath", "", Rule.readableFileOrEmpty(),
    "PEM bundle of the CA certificates a client certificate must be issued by (only with `tlsClientAuth` `request` "
      + "or `required`)"),
  TLS_RELOAD_MS("tlsReloadMs", 10000, Rule.integer(0, Limits.ONE_DAY_MS),
    "how often the TLS files are read again; changed files are used for new connections without a restart. `0` = "
      + "never"),
  PROXY_PROTOCOL("proxyProtocol", false, Rule.flag(),
    "every connection starts with a HAProxy PROXY protocol header (v1 or v2) naming the real client; one without it "
      + "is closed. Only behind a load balancer that sends it"),
  HANDSHAKE_TIMEOUT_MS("handshakeTimeoutMs", 10000, Rule.integer(100, 600_000),
    "time a new connection has to complete its PROXY header and its TLS handshake (each); then it is closed, logged "
      + "and counted"),
  MAX_CONNECTIONS_PER_CLIENT("maxConnectionsPerClient", 0, Rule.integer(0, 10_000_000),
    "connections at once from one client address (the PROXY header's with `proxyProtocol`), across all instances; "
      + "over it the connection is closed at once, logged and counted. `0` = off"),
  OVERLOAD_MEMORY_FRACTION("overloadMemoryFraction", 0.85, Rule.decimal(0, 0.99),
    "memory-pressure admission: while the heap in use after the last GC, or Netty's direct memory, is above this "
      + "fraction of its maximum, new connections are closed at once and `/health/ready` answers 503, until both are "
      + "under 0.94 × the fraction (0.85 → 0.80). Established connections are still served. `0` = off"),
  TCP_KEEP_ALIVE("tcpKeepAlive", false, Rule.flag(),
    "TCP keepalive on accepted connections, so the kernel finds peers that vanished without a FIN"),
  TCP_KEEP_ALIVE_IDLE_SECONDS("tcpKeepAliveIdleSeconds", 60, Rule.integer(1, 32767),
    "keepalive: idle time before the first probe"),
  TCP_KEEP_ALIVE_INTERVAL_SECONDS("tcpKeepAliveIntervalSeconds", 10, Rule.integer(1, 32767),
    "keepalive: time between probes"),
  TCP_KEEP_ALIVE_COUNT("tcpKeepAliveCount", 6, Rule.integer(1, 127),
    "keepalive: unanswered probes before the connection is dropped"),
  CLIENT_HOST("clientHost", "127.0.0.1", Rule.address("the server's address, e.g. 127.0.0.1"),
    "client: server address to connect to (the client also uses `port` and `framing`)"),
  CONNECT_TIMEOUT_MS("connectTimeoutMs", 5000, Rule.integer(1, Limits.ONE_HOUR_MS),
    "client: how long to try to connect"),
  REPLY_TIMEOUT_MS("replyTimeoutMs", 10000, Rule.integer(1, Limits.ONE_HOUR_MS),
    "client: how long to wait for a reply"),
  CLIENT_WINDOW("clientWindow", 256, Rule.integer(1, 65_536),
    "client, `line` framing: lines in flight before waiting for replies"),
  CLIENT_BUSY_POLL_MICROS("clientBusyPollMicros", 100, Rule.integer(0, 10_000),
    "client: after sending, keep polling the socket for up to this long instead of sleeping until the reply "
      + "wakes the client (0 = never poll). On an otherwise idle machine waking a sleeping core costs tens of "
      + "microseconds, as much as a loopback round trip; polling costs at most this much CPU per line"),
  CLIENT_RECONNECT("clientReconnect", false, Rule.flag(),
    "client, `line` framing only: when the connection is lost (server closed or reset it, e.g. drained in a rolling "
      + "update), connect again and send again the lines that were sent but not answered, so every input line still "
      + "gets exactly one reply line, in order. Delivery becomes at least once: the server may have read a resent "
      + "line before"),
  CLIENT_RECONNECT_ATTEMPTS("clientReconnectAttempts", 10, Rule.integer(1, 1000),
    "client, with `clientReconnect`: connection attempts after a loss before giving up (status 3); the count starts "
      + "again once a reply has come"),
  CLIENT_RECONNECT_BACKOFF_MS("clientReconnectBackoffMs", 100, Rule.integer(0, Limits.ONE_HOUR_MS),
    "client, with `clientReconnect`: pause before the first attempt, doubled before each further one"),
  CLIENT_RECONNECT_MAX_BACKOFF_MS("clientReconnectMaxBackoffMs", 5000, Rule.integer(0, Limits.ONE_HOUR_MS),
    "client, with `clientReconnect`: the longest pause between two attempts"),
  CLIENT_TLS("clientTls", false, Rule.flag(),
    "client: connect with TLS, verifying the server's certificate and that it names `clientHost`"),
  CLIENT_TLS_TRUST_PATH("clientTlsTrustPath", "", Rule.readableFileOrEmpty(),
    "client: PEM bundle of the CA certificates (or the self-signed certificate) to trust; empty = the JVM's default "
      + "trust store"),
  CLIENT_TLS_CERT_PATH("clientTlsCertPath", "", Rule.readableFileOrEmpty(),
    "client: PEM certificate to present to a server that asks for one (mutual TLS), with `clientTlsKeyPath`"),
  CLIENT_TLS_KEY_PATH("clientTlsKeyPath", "", Rule.readableFileOrEmpty(),
    "client: PEM private key of `clientTlsCertPath`");

  private static final String ENV_PREFIX = "ACK_";
  private static final String SYS_PREFIX = "ack.";

  private final String key;
  private final Object defaultValue;
  private final Rule rule;
  private final String meaning;
  private final ReadWhen readWhen;

  ConfigKey(String key, Object defaultValue, Rule rule, String meaning) {
    this(key, defaultValue, rule, meaning, ReadWhen.WITH_THE_REST);
  }

  ConfigKey(String key, Object defaultValue, Rule rule, String meaning, ReadWhen readWhen) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.rule = rule;
    this.meaning = meaning;
    this.readWhen = readWhen;
  }

  /**
   * When a key's value is first needed. Most keys are read once, with the rest, by the configuration chain that runs
   * on the process's one Vert.x instance. A few decide how that instance is built (its transport, whether it carries
   * metrics), so they are also read before it exists: see {@link VertxShape}.
   */
  public enum ReadWhen {
    WITH_THE_REST,
    BEFORE_VERTX
  }

  /** Whether the key shapes the Vert.x instance and is therefore also read before it is built. */
  public boolean shapesVertx() {
    return readWhen == ReadWhen.BEFORE_VERTX;
  }

  /** The name in the config file, e.g. {@code maxLineBytes}. */
  public String key() {
    return key;
  }

  /** The default as it appears in {@code conf/config.json}. */
  public Object defaultValue() {
    return defaultValue;
  }

  public Rule rule() {
    return rule;
  }

  /** The sentence in README's key table. */
  public String meaning() {
    return meaning;
  }

  /** {@code maxLineBytes} is set by the environment variable {@code ACK_MAX_LINE_BYTES}. */
  public String envName() {
    return ENV_PREFIX + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  /** {@code maxLineBytes} is set by the system property {@code ack.maxLineBytes}. */
  public String sysName() {
    return SYS_PREFIX + key;
  }

  /** The key named {@code key} in the config file, or null. */
  public static ConfigKey named(String key) {
    for (ConfigKey candidate : values()) {
      if (candidate.key.equals(key)) {
        return candidate;
      }
    }
    return null;
  }

  /** The key a system property such as {@code ack.port} sets, or null when it names none (or is not ours). */
  static ConfigKey ofSystemProperty(String name) {
    return name.startsWith(SYS_PREFIX) ? named(name.substring(SYS_PREFIX.length())) : null;
  }

  static boolean isOurSystemProperty(String name) {
    return name.startsWith(SYS_PREFIX);
  }

  private static final class Limits {
    static final int ONE_HOUR_MS = 3600 * 1000;
    static final int ONE_DAY_MS = 24 * ONE_HOUR_MS;
  }
}
