package de.ackservice;

import de.ackservice.config.ConfigException;
import de.ackservice.config.ConfigKey;
import de.ackservice.config.ConfigLoader;
import de.ackservice.config.ManagementConfig;
import de.ackservice.config.ServerConfig;
import de.ackservice.ops.ManagementServer;
import de.ackservice.ops.ServiceMetrics;
import de.ackservice.ops.VertxMetrics;
import de.ackservice.overload.GatedTransport;
import de.ackservice.server.ServerState;
import de.ackservice.server.ListenException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import io.vertx.launcher.application.ExitCodes;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * The jar's entry point. {@code java -jar ack-fat.jar -conf conf/config.json} runs the server through the Vert.x
 * launcher (so {@code -instances}, {@code -options} and its other options work); {@code ... client} and
 * {@code ... bench} run the client and the load generator instead, and {@code --help} says so.
 *
 * <p>The launcher's hooks run in this order, and each step relies on the one before:
 * <ol>
 *   <li>{@link #afterDeploymentOptionsParsed}: keeps the launcher's deployment options, to put the configured
 *       {@code instances} in them later; the launcher applies its own {@code -instances} after them, so it wins.</li>
 *   <li>{@link #createVertxBuilder}: the application's one Vert.x instance, built before the configuration can be
 *       read (vertx-config needs a running instance), so Vert.x metrics are wired in behind a switch.</li>
 *   <li>{@link #afterVertxStarted}: the configuration is read and validated once, on that instance; a bad value
 *       exits 78 before anything binds. Then the metrics switch, the management endpoint and the signals.</li>
 *   <li>{@link #verticleSupplier}: the server's verticles, built from the validated configuration.</li>
 * </ol>
 * The launcher's own reading of {@code -conf} is not used: on a file it cannot parse it logs and carries on with an
 * empty configuration, where we must stop.
 */
public final class AckApplication extends VertxApplication implements VertxApplicationHooks {

  /** Exit status for an unusable configuration (sysexits' EX_CONFIG). */
  public static final int EXIT_BAD_CONFIG = 78;

  private static final Logger log = LoggerFactory.getLogger(AckApplication.class);

  private final String conf;
  private final VertxMetrics metrics = new VertxMetrics();
  /** The launcher's deployment options, which it turns into the verticles' {@code DeploymentOptions}. */
  private JsonObject deploymentOptions = new JsonObject();
  private ServerState server;
  /** The registry Vert.x and the service record into, or null when metrics are off. */
  private PrometheusMeterRegistry registry;
  private int managementPort = ManagementConfig.OFF;
  /** The transport with the overload defences' accept gate; the gate itself comes with the configuration. */
  private GatedTransport transport;

  private AckApplication(String[] args) {
    super(args);
    this.conf = CommandLineArgs.conf(args);
  }

  /** Runs the server through the Vert.x launcher; {@link Main} decides which program runs. */
  static void launch(String[] args) {
    new AckApplication(args).launch();
  }

  @Override
  public JsonObject afterDeploymentOptionsParsed(JsonObject parsed) {
    if (parsed != null) {
      deploymentOptions = parsed;
    }
    return deploymentOptions;
  }

  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    options.setPreferNativeTransport(true);
    transport = new GatedTransport(nativeOrNio());
    return metrics.builder(options).withTransport(transport);
  }

  @Override
  public void afterVertxStarted(HookContext context) {
    Vertx vertx = context.vertx();
    try {
      // The TLS files are read too, if any: unusable ones are a configuration error like any other.
      server = new ServerState(ServerConfig.from(ConfigLoader.load(vertx, conf).await()));
    } catch (ConfigException e) {
      log.error(e.getMessage());
      System.exit(EXIT_BAD_CONFIG);
      return;
    }
    ServerConfig config = server.config();
    transport.use(server.overload().acceptGate());
    deploymentOptions.put("instances", config.instances());
    metrics.collect(config.management().metricsEnabled());
    registry = config.management().metricsEnabled() ? metrics.registry() : null;
    if (!transport.name().equals("nio")) {
      log.info("transport: native {}", transport.name());
    } else {
      log.info("transport: NIO (native epoll unavailable: {})", String.valueOf(Transport.EPOLL == null ? "no epoll"
        : Transport.EPOLL.unavailabilityCause()));
    }
    startManagement(vertx);
    TerminationSignals.install(vertx, config.shutdownGraceMs(), server::shutdownBegins);
  }

  /** Vert.x's native transport (epoll), or NIO where it is unavailable: what preferNativeTransport picks. */
  private static Transport nativeOrNio() {
    Transport nativeTransport = Transport.nativeTransport();
    return nativeTransport != null && nativeTransport.available() ? nativeTransport : Transport.NIO;
  }

  /** Health and metrics; a port that cannot be bound stops start-up, as the service port does. */
  private void startManagement(Vertx vertx) {
    ManagementConfig management = server.config().management();
    if (!management.enabled()) {
      return;
    }
    if (registry != null) {
      ServiceMetrics.bind(registry, server);
    }
    try {
      managementPort = new ManagementServer(vertx, registry, server::ready).start(management).await();
    } catch (Exception e) {
      log.error(new ListenException(ConfigKey.MANAGEMENT_PORT.key(), management.host(), management.port(), e)
        .getMessage());
      System.exit(ExitCodes.VERTX_DEPLOYMENT);
    }
    log.info("management endpoint listening on {}:{} paths=/health/live,/health/ready{}", management.host(),
      managementPort, registry != null ? ",/metrics" : "");
  }

  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return () -> server.newVerticle();
  }

  @Override
  public void afterVerticleDeployed(HookContext context) {
    ServerConfig config = server.config();
    log.info("ack service listening on {}:{} instances={} framing={} maxConnections={} overLimitPolicy={} "
        + "idleTimeoutMs={} shutdownGraceMs={} maxLineBytes={} writeQueueMaxBytes={} tls={} proxyProtocol={} "
        + "management={} metrics={}",
      config.host(), server.port(), context.deploymentOptions().getInstances(),
      config.framing().name().toLowerCase(), config.limitsConnections() ? config.maxConnections() : "unlimited",
      config.overLimitPolicy().name().toLowerCase(), config.idleTimeoutMs() == 0 ? "off" : config.idleTimeoutMs(),
      config.shutdownGraceMs(), config.maxLineBytes(), config.writeQueueMaxBytes(),
      server.tls().map(tls -> "on (clientAuth " + config.tls().clientAuth().name().toLowerCase() + ", "
        + tls.current().describe() + ")").orElse("off"),
      config.proxyProtocol() ? "on" : "off",
      config.management().enabled() ? config.management().host() + ":" + managementPort : "off",
      registry != null ? "on" : "off");
  }

  @Override
  public void afterFailureToDeployVerticle(HookContext context, Throwable t) {
    log.error(t == null ? "deployment timed out" : t.getMessage());
    context.vertx().close();
  }
}
