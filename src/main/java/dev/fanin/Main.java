package dev.fanin;

import dev.fanin.config.ConfigException;
import dev.fanin.config.ConfigLoader;
import dev.fanin.config.ConfigWatcher;
import dev.fanin.config.FaninConfig;
import dev.fanin.feeds.FeedsVerticle;
import dev.fanin.http.ListenException;
import dev.fanin.metrics.FaninMetrics;
import dev.fanin.tracing.Tracing;
import dev.fanin.tracing.TracingSetup;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import dev.fanin.cluster.ClusterNode;
import dev.fanin.cluster.ClusterView;
import dev.fanin.cluster.Clustering;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.fanin.policy.AddressClass;
import dev.fanin.policy.AddressClassifier;
import dev.fanin.policy.UpstreamPolicy;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Command line entry point: java -jar fanin.jar [--config FILE] [--cluster] [--help] starts the
 * service; java -jar fanin.jar run … is a batch run ({@link BatchMain}).
 */
public final class Main {
  private static final Path DEFAULT_CONFIG = Path.of("conf", "config.json");
  static final String USAGE = "usage: fanin [--config FILE] [--cluster] [--help]";
  static final String HELP = USAGE + "\n"
      + "Starts the fanin aggregation service.\n"
      + "\n"
      + "  --config FILE  read the configuration from FILE (default: conf/config.json when it exists,\n"
      + "                 else the built-in defaults)\n"
      + "  --cluster      join a cluster of fanin nodes (cluster.enabled=true)\n"
      + "  -h, --help     print this help and exit\n"
      + "\n"
      + "fanin run ... fetches a definition, a list of URLs or a feed once and exits (fanin run --help).\n"
      + "\n"
      + "Environment: FANIN_ plus a config key in upper snake case overrides the key (FANIN_HTTP_PORT for\n"
      + "http.port); an unknown FANIN_ variable stops the start. FANIN_JAVA_OPTS is bin/fanin's own: it\n"
      + "replaces the JVM settings.\n"
      + "Exit codes: 1 when fanin cannot start (e.g. its port is taken), 2 for invalid configuration or\n"
      + "arguments. Docs: README.md and docs/operations.md.\n";

  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("run")) {
      // a batch run touches none of the server's classes below (start-up time: docs/performance.md)
      BatchMain.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    CommandLine commandLine;
    try {
      commandLine = CommandLine.parse(args);
    } catch (UsageException e) {
      System.err.println("fanin: " + e.getMessage() + "; " + USAGE);
      System.exit(2);
      return;
    }
    if (commandLine.help()) {
      System.out.print(HELP);
      return;
    }
    Path configFile = configFile(commandLine);
    FaninConfig config;
    Map<String, String> env = new HashMap<>(System.getenv());
    try {
      if (commandLine.cluster()) {
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
    // Vert.x's HTTP client meters are left out: fanin_upstream_latency_seconds says the same per origin and
    // outcome, and recording both cost about 3 % of the CPU of a 4-source aggregation (docs/performance.md)
    VertxOptions options = new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true)
        .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
        .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.EB_ADDRESS, Label.POOL_TYPE, Label.POOL_NAME)));
    VertxBuilder builder = Vertx.builder().withMetrics(new MicrometerMetricsFactory(registry));
    // tracing off: Vert.x gets no tracer at all, and fanin's spans are no-ops
    OpenTelemetrySdk openTelemetry = TracingSetup.sdk(config.tracing());
    Tracing tracing = Tracing.OFF;
    if (openTelemetry != null) {
      TracingSetup.install(builder, openTelemetry);
      tracing = Tracing.of(openTelemetry);
      log.info("tracing on: OTLP {}{}", config.tracing().otlpEndpoint() == null ? "off" : config.tracing().otlpEndpoint(),
          config.tracing().console() ? ", spans printed to the log" : "");
    }
    Vertx vertx;
    ClusterView cluster = ClusterView.alone();
    if (config.cluster().enabled()) {
      if (!Clustering.isLoopback(config.cluster().host())) {
        log.warn("SECURITY: the cluster port {} and the event bus listen on {}: Hazelcast and the event bus do not "
            + "authenticate members, so keep them on a private network", config.cluster().port(), config.cluster().host());
      }
      try {
        ClusterNode node = Clustering.start(builder, options, config.cluster()).await();
        vertx = node.vertx();
        cluster = node.view();
      } catch (Exception e) {
        System.err.println("fanin: cannot join the cluster: " + e.getMessage());
        System.exit(1);
        return;
      }
      log.info("joined cluster {} as node {} ({} members)", config.cluster().name(), cluster.nodeId(),
          cluster.members().size());
    } else {
      vertx = builder.with(options).build();
    }
    Fanin fanin = new Fanin(vertx, config, metrics, cluster, tracing);
    Promise<Void> warmedUp = Promise.promise();
    fanin.readyAfter(warmedUp.future());
    AtomicBoolean startFailed = new AtomicBoolean();
    fanin.start().onComplete(ar -> {
      startFailed.set(ar.failed());
      if (ar.succeeded()) {
        fanin.live().onChange(next -> Logging.level(next.log().level()));
        if (configFile != null) {
          new ConfigWatcher(vertx, configFile, env, fanin.live()).start(1_000);
        }
        log.info("fanin listening on http://{}:{} ({} instances, {} transport, config {})", config.http().host(),
            fanin.port(), fanin.instances(), vertx.isNativeTransportEnabled() ? "epoll" : "NIO",
            configFile == null ? "built-in defaults" : configFile);
        warmUp(config, options, warmedUp, log);
      } else if (ar.cause() instanceof FeedsVerticle.FeedLoadException bad) {
        System.err.println("fanin: " + bad.getMessage());
        vertx.close().onComplete(v -> System.exit(2));
      } else if (ar.cause() instanceof ListenException cannotListen) {
        System.err.println("fanin: " + cannotListen.getMessage());
        vertx.close().onComplete(v -> System.exit(1));
      } else {
        log.error("fanin failed to start: {}", ar.cause().getMessage());
        vertx.close().onComplete(v -> System.exit(1));
      }
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // SIGTERM: stop accepting, let aggregations in flight finish within the grace period, close
      if (startFailed.get()) {
        return; // the failed start closed Vert.x itself; there is nothing in flight to finish
      }
      long grace = config.http().shutdownGraceMs();
      log.info("shutting down: finishing requests in flight (up to {} ms)", grace);
      try {
        fanin.stop().eventually(vertx::close).toCompletionStage().toCompletableFuture()
            .get(grace + 5_000, TimeUnit.MILLISECONDS);
        if (openTelemetry != null) {
          openTelemetry.close(); // sends the spans still batched
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        log.warn("shutdown did not complete cleanly: {}", e.toString());
      }
    }, "fanin-shutdown"));
  }

  /**
   * The start-up warm-up (http.warmupMs), on a thread of its own; /health/ready says UP once it is
   * over, whatever its outcome.
   */
  private static void warmUp(FaninConfig config, VertxOptions options, Promise<Void> done, Logger log) {
    if (config.http().warmupMs() <= 0) {
      done.complete();
      return;
    }
    Thread thread = new Thread(() -> {
      Runnable loud = Logging.quietWhere(StartupWarmup::onWarmupThread);
      try {
        StartupWarmup.Result r = StartupWarmup.run(config, config.http().warmupMs(), options);
        log.info("warmed up in {} ms: {} aggregations of {} sources in all, {} shapes ({} failed); ready",
            r.elapsedMs(), r.aggregations(), r.sources(), r.shapes(), r.failed());
      } catch (Exception | LinkageError e) {
        log.warn("start-up warm-up failed ({}); ready without it", e.toString());
      } finally {
        loud.run();
        done.complete();
      }
    }, "fanin-warm-up");
    thread.setDaemon(true);
    thread.start();
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
    InetAddress literal = UpstreamPolicy.literal(host);
    boolean loopback = host.equalsIgnoreCase("localhost")
        || (literal != null && AddressClassifier.classify(literal)
            == AddressClass.LOOPBACK);
    return loopback ? null : "listening on " + host + " without API keys";
  }

  /** The file --config names, else conf/config.json when it exists, else none (the built-in defaults). */
  static Path configFile(CommandLine commandLine) {
    return configFile(commandLine.configFile());
  }

  /** The file given, else conf/config.json when it exists, else none. */
  static Path configFile(Path given) {
    if (given == null && Files.isRegularFile(DEFAULT_CONFIG)) {
      return DEFAULT_CONFIG;
    }
    return given;
  }

  /** A command line that cannot be understood; exit code 2. */
  static final class UsageException extends RuntimeException {
    UsageException(String problem) {
      super(problem, null, false, false);
    }
  }

  /** What the command line asks for: a config file (null when not given), --cluster, --help. */
  record CommandLine(Path configFile, boolean cluster, boolean help) {
    /** Parses; a bad argument is a {@link UsageException}, unless --help asks for the usage anyway. */
    static CommandLine parse(String[] args) {
      Path file = null;
      boolean cluster = false;
      boolean help = false;
      UsageException problem = null;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (arg.equals("--help") || arg.equals("-h")) {
          help = true;
        } else if (arg.equals("--cluster")) {
          cluster = true;
        } else if (arg.equals("--config")) {
          if (i + 1 < args.length) {
            file = Path.of(args[++i]);
          } else if (problem == null) {
            problem = new UsageException("--config needs a file name");
          }
        } else if (arg.startsWith("--config=")) {
          file = Path.of(arg.substring("--config=".length()));
        } else if (problem == null) {
          problem = new UsageException("unknown argument " + arg);
        }
      }
      if (problem != null && !help) {
        throw problem;
      }
      return new CommandLine(file, cluster, help);
    }
  }
}
