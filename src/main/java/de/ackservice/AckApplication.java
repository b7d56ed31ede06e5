package de.ackservice;

import de.ackservice.bench.BenchMain;
import de.ackservice.client.ClientMain;
import de.ackservice.config.ConfigException;
import de.ackservice.config.ConfigLoader;
import de.ackservice.config.ManagementConfig;
import de.ackservice.config.ServerConfig;
import de.ackservice.ops.ManagementServer;
import de.ackservice.ops.ServiceMetrics;
import de.ackservice.ops.VertxMetrics;
import de.ackservice.server.ServerState;
import de.ackservice.server.ListenException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.launcher.application.ExitCodes;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The jar's entry point. {@code java -jar ack-fat.jar -conf conf/config.json} runs the server through the Vert.x
 * launcher (so {@code -instances}, {@code -options} and its other options work); the configuration is loaded and
 * validated before Vert.x starts, so a bad value stops start-up before anything binds.
 * {@code java -jar ack-fat.jar client} and {@code ... bench} run the client and the load generator instead.
 *
 * <p>Around the server it runs the operations side: Vert.x metrics into a Prometheus registry (when on), and the
 * management endpoint (health and metrics), which starts before the server so that liveness answers during start-up
 * and stays up during the drain so that readiness can say "not ready" while connected clients are served.
 */
public final class AckApplication extends VertxApplication implements VertxApplicationHooks {

  /** Exit status for an unusable configuration (sysexits' EX_CONFIG). */
  public static final int EXIT_BAD_CONFIG = 78;

  private static final Logger log = LoggerFactory.getLogger(AckApplication.class);

  private final ServerState server;
  /** The registry Vert.x and the service record into, or null when metrics are off. */
  private final PrometheusMeterRegistry registry;
  private final boolean instancesFromCommandLine;
  private int managementPort = ManagementConfig.OFF;

  private AckApplication(String[] args, ServerState server, PrometheusMeterRegistry registry) {
    super(args);
    this.server = server;
    this.registry = registry;
    this.instancesFromCommandLine = CommandLineArgs.hasInstances(args);
  }

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("client")) {
      ClientMain.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("bench")) {
      BenchMain.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    ServerState server;
    try {
      // Reads the TLS files too, if any: unusable ones are a configuration error like any other.
      server = new ServerState(ServerConfig.from(ConfigLoader.loadBlocking(CommandLineArgs.conf(args))));
    } catch (ConfigException e) {
      log.error(e.getMessage());
      System.exit(EXIT_BAD_CONFIG);
      return;
    }
    PrometheusMeterRegistry registry = server.config().management().metricsEnabled()
      ? VertxMetrics.newRegistry() : null;
    new AckApplication(args, server, registry).launch();
  }

  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return server::newVerticle;
  }

  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    options.setPreferNativeTransport(true);
    return registry == null ? Vertx.builder().with(options) : VertxMetrics.builder(options, registry);
  }

  @Override
  public void afterVertxStarted(HookContext context) {
    Vertx vertx = context.vertx();
    if (vertx.isNativeTransportEnabled()) {
      log.info("transport: native epoll");
    } else {
      log.info("transport: NIO (native epoll unavailable: {})", vertx.unavailableNativeTransportCause().toString());
    }
    startManagement(vertx);
    TerminationSignals.install(vertx, server.config().shutdownGraceMs(), server::shutdownBegins);
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
      log.error(new ListenException(ManagementConfig.PORT, management.host(), management.port(), e).getMessage());
      System.exit(ExitCodes.VERTX_DEPLOYMENT);
    }
    log.info("management endpoint listening on {}:{} paths=/health/live,/health/ready{}", management.host(),
      managementPort, registry != null ? ",/metrics" : "");
  }

  @Override
  public void beforeDeployingVerticle(HookContext context) {
    if (!instancesFromCommandLine) {
      context.deploymentOptions().setInstances(server.config().instances());
    }
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
