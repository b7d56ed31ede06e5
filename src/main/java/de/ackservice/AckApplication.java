package de.ackservice;

import de.ackservice.config.ConfigException;
import de.ackservice.config.ConfigKey;
import de.ackservice.config.ConfigLoader;
import de.ackservice.config.ManagementConfig;
import de.ackservice.config.ServerConfig;
import de.ackservice.config.ConfigValues;
import de.ackservice.config.VertxShape;
import de.ackservice.ops.ManagementServer;
import de.ackservice.ops.ServiceMetrics;
import de.ackservice.ops.VertxMetrics;
import de.ackservice.overload.GatedTransport;
import de.ackservice.server.ServerState;
import de.ackservice.server.ListenException;
import de.ackservice.transport.SelectedTransport;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
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
 *   <li>{@link #afterConfigParsed}: keeps the launcher's parsed {@code -conf} JSON (or null), for the next step.</li>
 *   <li>{@link #createVertxBuilder}: the application's one Vert.x instance, built before the configuration can be
 *       read (vertx-config needs a running instance). The few keys that shape it ({@link VertxShape}: transport,
 *       metrics) are read first from the same layers by the same rules; an unusable one exits 78 here. Metrics
 *       machinery is only loaded when metrics are on.</li>
 *   <li>{@link #afterVertxStarted}: the configuration is read and validated once, on that instance; a bad value
 *       exits 78 before anything binds, and the shaping keys must read as they did before. Then the metrics
 *       switch, the management endpoint and the signals.</li>
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
  /** The launcher's parsed {@code -conf} JSON, or null: the first layer of the keys that shape the Vert.x instance. */
  private JsonObject launcherConf;
  private VertxShape shape;
  private SelectedTransport transport;
  /** Vert.x's metrics into our registry; null when metrics are off (then no Micrometer class is loaded). */
  private VertxMetrics metrics;
  /** The launcher's deployment options, which it turns into the verticles' {@code DeploymentOptions}. */
  private JsonObject deploymentOptions = new JsonObject();
  private ServerState server;
  /** The registry Vert.x and the service record into, or null when metrics are off. */
  private PrometheusMeterRegistry registry;
  private int managementPort = ManagementConfig.OFF;
  /** The transport with the overload defences' accept gate; the gate itself comes with the configuration. */
  private GatedTransport gatedTransport;

  private AckApplication(String[] args) {
    super(args);
    this.conf = CommandLineArgs.conf(args);
  }

  /** Runs the server through the Vert.x launcher; {@link Main} decides which program runs. */
  static void launch(String[] args) {
    new AckApplication(args).launch();
  }

  @Override
  public JsonObject afterConfigParsed(JsonObject config) {
    launcherConf = config;
    return config;
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
    try {
      shape = VertxShape.beforeVertx(launcherConf);
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
    return builder.withTransport(gatedTransport);
  }

  @Override
  public void afterVertxStarted(HookContext context) {
    Vertx vertx = context.vertx();
    try {
      // The TLS files are read too, if any: unusable ones are a configuration error like any other.
      ConfigValues values = ConfigLoader.load(vertx, conf).await();
      server = new ServerState(ServerConfig.from(values));
      shape.mustAgreeWith(VertxShape.from(values));
    } catch (ConfigException e) {
      log.error(e.getMessage());
      System.exit(EXIT_BAD_CONFIG);
      return;
    }
    ServerConfig config = server.config();
    gatedTransport.use(server.overload().acceptGate());
    deploymentOptions.put("instances", config.instances());
    if (metrics != null) {
      metrics.collect(true);
      registry = metrics.registry();
    }
    startManagement(vertx);
    TerminationSignals.install(vertx, config.shutdownGraceMs(), server::shutdownBegins);
  }


  /** Health and metrics; a port that cannot be bound stops start-up, as the service port does. */
  private void startManagement(Vertx vertx) {
    ManagementConfig management = server.config().management();
    if (!management.enabled()) {
      return;
    }
    if (registry != null) {
      ServiceMetrics.bind(registry, server);
      ServiceMetrics.bindTransport(registry, transport.name());
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
    if (metrics != null) {
      // The JVM's meters after readiness: nothing waits for them (see VertxMetrics#bindJvmMetrics).
      context.vertx().executeBlocking(() -> {
        metrics.bindJvmMetrics();
        return null;
      }).onFailure(e -> log.warn("JVM metrics not bound: {}", e.toString()));
    }
    ServerConfig config = server.config();
    log.info("ack service listening on {}:{} instances={} framing={} maxConnections={} overLimitPolicy={} "
        + "idleTimeoutMs={} shutdownGraceMs={} maxLineBytes={} writeQueueMaxBytes={} tls={} proxyProtocol={} "
        + "management={} metrics={} transport={}",
      config.host(), server.port(), context.deploymentOptions().getInstances(),
      config.framing().name().toLowerCase(), config.limitsConnections() ? config.maxConnections() : "unlimited",
      config.overLimitPolicy().name().toLowerCase(), config.idleTimeoutMs() == 0 ? "off" : config.idleTimeoutMs(),
      config.shutdownGraceMs(), config.maxLineBytes(), config.writeQueueMaxBytes(),
      server.tls().map(tls -> "on (clientAuth " + config.tls().clientAuth().name().toLowerCase() + ", "
        + tls.current().describe() + ")").orElse("off"),
      config.proxyProtocol() ? "on" : "off",
      config.management().enabled() ? config.management().host() + ":" + managementPort : "off",
      registry != null ? "on" : "off", transport.describe());
  }

  @Override
  public void afterFailureToDeployVerticle(HookContext context, Throwable t) {
    log.error(t == null ? "deployment timed out" : t.getMessage());
    context.vertx().close();
  }
}
