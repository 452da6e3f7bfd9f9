package dev.fanin;

import dev.fanin.config.ConfigException;
import dev.fanin.config.ConfigLoader;
import dev.fanin.config.ConfigWatcher;
import dev.fanin.config.FaninConfig;
import dev.fanin.feeds.FeedsVerticle;
import dev.fanin.metrics.FaninMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import dev.fanin.cluster.Clustering;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Command line entry point: java -jar fanin.jar [--config FILE] [--cluster]. */
public final class Main {
  private static final Path DEFAULT_CONFIG = Path.of("conf", "config.json");

  private Main() {}

  public static void main(String[] args) {
    Path configFile;
    FaninConfig config;
    java.util.Map<String, String> env = new java.util.HashMap<>(System.getenv());
    try {
      configFile = configFile(args);
      if (clusterFlag(args)) {
        // --cluster is cluster.enabled=true, above the file and the environment
        env.put(ConfigLoader.envName("cluster.enabled"), "true");
      }
      config = ConfigLoader.load(configFile, env);
    } catch (ConfigException e) {
      System.err.println("fanin: invalid config: " + e.getMessage());
      System.exit(2);
      return;
    }
    Logging.apply(config.log());
    Logger log = LoggerFactory.getLogger(Main.class);
    String exposure = exposure(config);
    if (exposure != null && !config.security().allowAnonymous()) {
      System.err.println("fanin: invalid config: http.host: " + exposure
          + "; configure security.apiKeys, or set security.allowAnonymous to true to accept that");
      System.exit(2);
      return;
    }
    if (exposure != null) {
      log.warn("SECURITY: {} and security.allowAnonymous is true: anyone who can reach this port can "
          + "make fanin fetch URLs and change feeds", exposure);
    } else if (config.security().apiKeys().isEmpty()) {
      log.info("no API keys configured (security.apiKeys): listening on loopback only, without authentication");
    }
    // one Prometheus registry for Vert.x's own metrics and fanin's
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    FaninMetrics metrics = new FaninMetrics(registry, config.metrics().maxOrigins());
    VertxOptions options = new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true)
        .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.EB_ADDRESS, Label.POOL_TYPE, Label.POOL_NAME)));
    VertxBuilder builder = Vertx.builder().withMetrics(new MicrometerMetricsFactory(registry));
    Vertx vertx;
    if (config.cluster().enabled()) {
      if (!Clustering.isLoopback(config.cluster().host())) {
        log.warn("SECURITY: the cluster port {} and the event bus listen on {}: Hazelcast and the event bus do not "
            + "authenticate members, so keep them on a private network", config.cluster().port(), config.cluster().host());
      }
      try {
        vertx = Clustering.start(builder, options, config.cluster()).await();
      } catch (Exception e) {
        System.err.println("fanin: cannot join the cluster: " + e.getMessage());
        System.exit(1);
        return;
      }
      log.info("joined cluster {} as node {} ({} members)", config.cluster().name(), Clustering.nodeId(vertx),
          Clustering.members(vertx).size());
    } else {
      vertx = builder.with(options).build();
    }
    Fanin fanin = new Fanin(vertx, config, metrics);
    fanin.start().onComplete(ar -> {
      if (ar.succeeded()) {
        fanin.live().onChange(next -> Logging.level(next.log().level()));
        if (configFile != null) {
          new ConfigWatcher(vertx, configFile, env, fanin.live()).start(1_000);
        }
        log.info("fanin listening on http://{}:{} ({} instances, config {})", config.http().host(),
            fanin.port(), fanin.instances(), configFile == null ? "built-in defaults" : configFile);
      } else if (ar.cause() instanceof FeedsVerticle.FeedLoadException bad) {
        System.err.println("fanin: " + bad.getMessage());
        vertx.close().onComplete(v -> System.exit(2));
      } else {
        log.error("fanin failed to start: {}", ar.cause().getMessage());
        vertx.close().onComplete(v -> System.exit(1));
      }
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // SIGTERM: stop accepting, let aggregations in flight finish within the grace period, close
      long grace = config.http().shutdownGraceMs();
      log.info("shutting down: finishing requests in flight (up to {} ms)", grace);
      try {
        fanin.stop().eventually(vertx::close).toCompletionStage().toCompletableFuture()
            .get(grace + 5_000, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        log.warn("shutdown did not complete cleanly: {}", e.toString());
      }
    }, "fanin-shutdown"));
  }

  /**
   * Why the listen address exposes fanin without authentication (no API keys and not loopback),
   * or null.
   */
  static String exposure(FaninConfig config) {
    if (!config.security().apiKeys().isEmpty()) {
      return null;
    }
    String host = config.http().host();
    java.net.InetAddress literal = dev.fanin.policy.UpstreamPolicy.literal(host);
    boolean loopback = host.equalsIgnoreCase("localhost")
        || (literal != null && dev.fanin.policy.AddressClassifier.classify(literal)
            == dev.fanin.policy.AddressClass.LOOPBACK);
    return loopback ? null : "listening on " + host + " without API keys";
  }

  /** Whether --cluster was given. */
  static boolean clusterFlag(String[] args) {
    return java.util.Arrays.asList(args).contains("--cluster");
  }

  /** --config FILE, else conf/config.json when it exists, else the built-in defaults. */
  static Path configFile(String[] args) {
    Path file = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config")) {
        if (i + 1 >= args.length) {
          throw new ConfigException("--config", "needs a file name");
        }
        file = Path.of(args[++i]);
      } else if (args[i].equals("--cluster")) {
        continue;
      } else if (args[i].startsWith("--config=")) {
        file = Path.of(args[i].substring("--config=".length()));
      } else {
        throw new ConfigException(args[i], "unknown argument; usage: fanin [--config FILE] [--cluster]");
      }
    }
    if (file == null && Files.isRegularFile(DEFAULT_CONFIG)) {
      file = DEFAULT_CONFIG;
    }
    return file;
  }
}
