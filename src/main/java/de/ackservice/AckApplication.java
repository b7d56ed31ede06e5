package de.ackservice;

import de.ackservice.bench.BenchMain;
import de.ackservice.client.ClientMain;
import de.ackservice.config.ConfigException;
import de.ackservice.config.ConfigLoader;
import de.ackservice.config.ServerConfig;
import de.ackservice.server.AckServer;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
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
 */
public final class AckApplication extends VertxApplication implements VertxApplicationHooks {

  /** Exit status for an unusable configuration (sysexits' EX_CONFIG). */
  public static final int EXIT_BAD_CONFIG = 78;

  private static final Logger log = LoggerFactory.getLogger(AckApplication.class);

  private final AckServer server;
  private final boolean instancesFromCommandLine;

  private AckApplication(String[] args, AckServer server) {
    super(args);
    this.server = server;
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
    ServerConfig config;
    try {
      config = ServerConfig.from(ConfigLoader.loadBlocking(CommandLineArgs.conf(args)));
    } catch (ConfigException e) {
      log.error(e.getMessage());
      System.exit(EXIT_BAD_CONFIG);
      return;
    }
    new AckApplication(args, new AckServer(config)).launch();
  }

  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return server::newVerticle;
  }

  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    return Vertx.builder().with(options.setPreferNativeTransport(true));
  }

  @Override
  public void afterVertxStarted(HookContext context) {
    Vertx vertx = context.vertx();
    if (vertx.isNativeTransportEnabled()) {
      log.info("transport: native epoll");
    } else {
      log.info("transport: NIO (native epoll unavailable: {})", vertx.unavailableNativeTransportCause().toString());
    }
    TerminationSignals.install(vertx, server.config().shutdownGraceMs());
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
        + "idleTimeoutMs={} shutdownGraceMs={} maxLineBytes={} writeQueueMaxBytes={}",
      config.host(), server.port(), context.deploymentOptions().getInstances(),
      config.framing().name().toLowerCase(), config.limitsConnections() ? config.maxConnections() : "unlimited",
      config.overLimitPolicy().name().toLowerCase(), config.idleTimeoutMs() == 0 ? "off" : config.idleTimeoutMs(),
      config.shutdownGraceMs(), config.maxLineBytes(), config.writeQueueMaxBytes());
  }

  @Override
  public void afterFailureToDeployVerticle(HookContext context, Throwable t) {
    log.error(t == null ? "deployment timed out" : t.getMessage());
    context.vertx().close();
  }
}
