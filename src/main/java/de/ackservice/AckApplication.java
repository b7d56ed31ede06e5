package de.ackservice;

import de.ackservice.config.ConfigException;
import de.ackservice.config.ConfigKey;
import de.ackservice.config.ConfigLoader;
import de.ackservice.config.ConfigValues;
import de.ackservice.config.ManagementConfig;
import de.ackservice.config.ServerConfig;
import de.ackservice.config.VertxShape;
import de.ackservice.ops.ManagementServer;
import de.ackservice.ops.ServiceMetrics;
import de.ackservice.ops.VertxMetrics;
import de.ackservice.overload.GatedTransport;
import de.ackservice.server.ListenException;
import de.ackservice.server.ServerState;
import de.ackservice.transport.SelectedTransport;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The server program: {@code java -jar ack-fat.jar [server] -conf conf/config.json}. One start-up sequence, each step
 * relying on the one before:
 * <ol>
 *   <li>the command line ({@link ServerCommandLine}: {@code -conf}, {@code -instances}, {@code -options});</li>
 *   <li>the process's one Vert.x instance. The few keys that shape it ({@link VertxShape}: transport, metrics) are
 *       read first from the same layers by the same rules, because vertx-config needs a running instance; an
 *       unusable one exits 78 here. Metrics machinery is only loaded when metrics are on;</li>
 *   <li>the configuration, read and validated once on that instance ({@link ConfigLoader}), the TLS files with it; a
 *       bad value exits 78 before anything binds, and the shaping keys must read as they did before;</li>
 *   <li>the management endpoint and the server's verticles ({@code instances} of them, {@code -instances} wins),
 *       started side by side, and the signal handlers; a port that cannot be bound exits 15.</li>
 * </ol>
 * It used to run through the Vert.x launcher's hooks ({@code vertx-launcher-application}): see
 * {@link ServerCommandLine} for why no more. The exit statuses are the launcher's.
 */
public final class AckApplication {

  /** Exit status for an unusable configuration (sysexits' EX_CONFIG). */
  public static final int EXIT_BAD_CONFIG = 78;
  /** Exit status for arguments that are not understood (the launcher's). */
  static final int EXIT_USAGE = 2;
  /** Exit status when a port cannot be bound or the verticles fail to start (the launcher's). */
  static final int EXIT_START_FAILED = 15;
  /** How long the verticles and the management endpoint may take to start, and Vert.x to close at exit. */
  private static final long START_TIMEOUT_MS = 120_000;
  private static final long CLOSE_TIMEOUT_MS = 30_000;
  private static final Logger log = LoggerFactory.getLogger(AckApplication.class);

  private final ServerCommandLine commandLine;
  private VertxShape shape;
  private SelectedTransport transport;
  /** Vert.x's metrics into our registry; null when metrics are off (then no Micrometer class is loaded). */
  private VertxMetrics metrics;
  /** The transport with the overload defences' accept gate; the gate itself comes with the configuration. */
  private GatedTransport gatedTransport;
  private ServerState server;
  /** The registry Vert.x and the service record into, or null when metrics are off. */
  private PrometheusMeterRegistry registry;

  private AckApplication(ServerCommandLine commandLine) {
    this.commandLine = commandLine;
  }

  /** Runs the server; {@link Main} decides which program runs. */
  static void launch(String[] args) {
    ServerCommandLine commandLine;
    try {
      commandLine = ServerCommandLine.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(ServerCommandLine.USAGE);
      System.exit(EXIT_USAGE);
      return;
    }
    if (commandLine.help()) {
      System.out.print(ServerCommandLine.USAGE);
      return;
    }
    new AckApplication(commandLine).start();
  }

  private void start() {
    Vertx vertx = createVertx();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAtExit(vertx), "ack-vertx-close"));
    ServerConfig config = readConfiguration(vertx);
    // The management endpoint and the verticles start side by side, each binding on an event loop of its own, so
    // that readiness does not wait for one after the other; /health/ready answers 503 until the ack port listens.
    Future<Integer> management = startManagement(vertx, config.management());
    TerminationSignals.install(vertx, config.shutdownGraceMs(), server::shutdownBegins);
    int instances = commandLine.instances() != null ? commandLine.instances() : config.instances();
    Future<String> deployment =
      vertx.deployVerticle(server::newVerticle, new DeploymentOptions().setInstances(instances));
    int managementPort = managementListening(management, config.management());
    try {
      deployment.await(START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.error(e instanceof TimeoutException ? "deployment timed out" : e.getMessage());
      System.exit(EXIT_START_FAILED);
      return;
    }
    afterVerticlesDeployed(vertx, config, instances, managementPort);
  }

  /** The Vert.x instance, shaped by the keys read before it exists; exits 78 on an unusable one. */
  private Vertx createVertx() {
    VertxOptions options = vertxOptions();
    try {
      shape = VertxShape.beforeVertx(commandLine.conf());
      transport = shape.selectTransport();
    } catch (ConfigException e) {
      log.error(e.getMessage());
      System.exit(EXIT_BAD_CONFIG);
      return null;
    }
    VertxBuilder builder;
    if (shape.metrics()) {
      metrics = new VertxMetrics();
      builder = metrics.builder(options);
    } else {
      builder = Vertx.builder().with(options);
    }
    // The overload defences sit in front of the chosen transport (see GatedTransport).
    gatedTransport = new GatedTransport(transport.transport());
    return builder.withTransport(gatedTransport).build();
  }

  /** Vert.x's own options: {@code -options} (a JSON file or inline JSON), else the defaults. */
  private VertxOptions vertxOptions() {
    String given = commandLine.options();
    if (given == null) {
      return new VertxOptions();
    }
    try {
      return new VertxOptions(new JsonObject(given.trim().startsWith("{") ? given : Files.readString(Path.of(given))));
    } catch (IOException | DecodeException e) {
      log.error("-options {} is not usable: {}", given, e.getMessage());
      System.exit(EXIT_BAD_CONFIG);
      return null;
    }
  }

  /**
   * The configuration, read and validated once; the TLS files too, if any: unusable ones are a configuration error
   * like any other. Exits 78 on a bad value, before anything binds.
   */
  private ServerConfig readConfiguration(Vertx vertx) {
    try {
      ConfigValues values = ConfigLoader.load(vertx, commandLine.conf()).await();
      server = new ServerState(ServerConfig.from(values));
      shape.mustAgreeWith(VertxShape.from(values));
    } catch (ConfigException e) {
      log.error(e.getMessage());
      System.exit(EXIT_BAD_CONFIG);
      return null;
    }
    gatedTransport.use(server.overload().acceptGate());
    if (metrics != null) {
      metrics.collect(true);
      registry = metrics.registry();
    }
    return server.config();
  }

  /** Health and metrics, starting; completes with the bound port, or {@link ManagementConfig#OFF}. */
  private Future<Integer> startManagement(Vertx vertx, ManagementConfig management) {
    if (!management.enabled()) {
      return Future.succeededFuture(ManagementConfig.OFF);
    }
    if (registry != null) {
      ServiceMetrics.bind(registry, server);
      ServiceMetrics.bindTransport(registry, transport.name());
    }
    return new ManagementServer(vertx, registry, server::ready).start(management);
  }

  /** Waits for the management endpoint; a port that cannot be bound stops start-up, as the service port does. */
  private int managementListening(Future<Integer> started, ManagementConfig management) {
    int port;
    try {
      port = started.await(START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.error(new ListenException(ConfigKey.MANAGEMENT_PORT.key(), management.host(), management.port(), e)
        .getMessage());
      System.exit(EXIT_START_FAILED);
      return ManagementConfig.OFF;
    }
    if (management.enabled()) {
      log.info("management endpoint listening on {}:{} paths=/health/live,/health/ready{}", management.host(), port,
        registry != null ? ",/metrics" : "");
    }
    return port;
  }

  /** At JVM exit, a signal's drain or not: the instance is closed, as the launcher did. */
  private static void closeAtExit(Vertx vertx) {
    try {
      vertx.close().await(CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // Exiting anyway.
    }
  }

  private void afterVerticlesDeployed(Vertx vertx, ServerConfig config, int instances, int managementPort) {
    if (metrics != null) {
      // The JVM's meters after readiness: nothing waits for them (see VertxMetrics#bindJvmMetrics).
      vertx.executeBlocking(() -> {
        metrics.bindJvmMetrics();
        return null;
      }).onFailure(e -> log.warn("JVM metrics not bound: {}", e.toString()));
    }
    log.info("ack service listening on {}:{} instances={} framing={} maxConnections={} overLimitPolicy={} "
        + "idleTimeoutMs={} shutdownGraceMs={} maxLineBytes={} writeQueueMaxBytes={} tls={} proxyProtocol={} "
        + "management={} metrics={} transport={}",
      config.host(), server.port(), instances,
      config.framing().name().toLowerCase(), config.limitsConnections() ? config.maxConnections() : "unlimited",
      config.overLimitPolicy().name().toLowerCase(), config.idleTimeoutMs() == 0 ? "off" : config.idleTimeoutMs(),
      config.shutdownGraceMs(), config.maxLineBytes(), config.writeQueueMaxBytes(),
      server.tls().map(tls -> "on (clientAuth " + config.tls().clientAuth().name().toLowerCase() + ", "
        + tls.current().describe() + ")").orElse("off"),
      config.proxyProtocol() ? "on" : "off",
      config.management().enabled() ? config.management().host() + ":" + managementPort : "off",
      registry != null ? "on" : "off", transport.describe());
  }
}
