package dev.fanin;

import dev.fanin.batch.BatchOptions;
import dev.fanin.batch.BatchRun;
import dev.fanin.batch.Terminal;
import dev.fanin.batch.UsageError;
import dev.fanin.cluster.ClusterView;
import dev.fanin.config.ConfigException;
import dev.fanin.config.ConfigLoader;
import dev.fanin.config.FaninConfig;
import dev.fanin.tracing.Tracing;
import dev.fanin.tracing.TracingSetup;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.vertx.core.VertxBuilder;
import dev.fanin.metrics.FaninMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code fanin run}: a batch run in a process of its own. Reads the options and the configuration
 * as the service does, checks the input (nothing is fetched when it is wrong), then builds the
 * batch assembly of {@link Fanin} (the pipeline without the HTTP intake, the feed registry or the
 * cluster), runs, and exits with the run's code. Ctrl-C and SIGTERM go through a shutdown hook that
 * writes what was received; the JVM then exits with 130 or 143.
 */
final class BatchMain {
  private BatchMain() {}

  static void main(String[] args) {
    // before anything logs: logs go to standard error, which the output never shares
    System.setProperty(BatchLogConfigurator.PROPERTY, "true");
    // Netty's JFR events of its allocator cost a tenth of a second at the first request; nobody records them here
    if (System.getProperty("io.netty.jfr.enabled") == null) {
      System.setProperty("io.netty.jfr.enabled", "false");
    }
    BatchOptions options;
    try {
      options = BatchOptions.parse(args);
    } catch (UsageError e) {
      exit(2, e.getMessage() + "; " + BatchOptions.USAGE);
      return;
    }
    if (options.help()) {
      System.out.print(BatchOptions.HELP);
      System.out.flush();
      System.exit(0);
      return;
    }
    Path configFile = Main.configFile(options.configFile());
    FaninConfig config;
    try {
      config = ConfigLoader.load(configFile, System.getenv());
    } catch (ConfigException e) {
      exit(2, "invalid config: " + e.getMessage());
      return;
    }
    Logging.applyBatch(config.log());
    BatchRun run;
    try {
      run = BatchRun.prepare(options, config, System.in, System.err, Terminal.stderrIsTerminal());
    } catch (UsageError e) {
      exit(2, e.getMessage());
      return;
    }
    VertxBuilder builder = Vertx.builder().with(new VertxOptions()
        .setEventLoopPoolSize(Math.max(1, Runtime.getRuntime().availableProcessors()))
        // nothing is served from the class path, and nothing is written where the command runs
        .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
    // the run's aggregation is the root span of its trace; nothing of OpenTelemetry is loaded when off
    OpenTelemetrySdk openTelemetry = config.tracing().enabled() ? TracingSetup.sdk(config.tracing()) : null;
    Tracing tracing = openTelemetry == null ? Tracing.OFF : Tracing.of(openTelemetry);
    if (openTelemetry != null) {
      TracingSetup.install(builder, openTelemetry);
    }
    Vertx vertx = builder.build();
    // stop() runs twice (after the run, and in the shutdown hook System.exit starts): close the SDK once
    java.util.concurrent.atomic.AtomicBoolean tracingOpen = new java.util.concurrent.atomic.AtomicBoolean(true);
    Runnable closeTracing = () -> {
      if (openTelemetry != null && tracingOpen.getAndSet(false)) {
        openTelemetry.close(); // sends the spans still batched
      }
    };
    Fanin fanin = new Fanin(vertx, config, FaninMetrics.withoutJvm(config.metrics().maxOrigins()),
        ClusterView.alone(), tracing);
    // Ctrl-C, SIGTERM, and System.exit below alike (the run knows whether it ended already)
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      run.interrupt();
      stop(fanin, vertx, closeTracing);
    }, "fanin-run-interrupted"));
    int code;
    try {
      fanin.startBatch(run.needsDemo())
          .compose(aggregators -> vertx.deployVerticle(run.verticle(aggregators)))
          .await();
      code = run.exitCode().get();
    } catch (Exception e) {
      System.err.println("fanin run: cannot run: " + e.getMessage());
      code = 1;
    }
    stop(fanin, vertx, closeTracing);
    System.exit(code);
  }

  /**
   * Saves the perDay budgets, then stops the event loops: the JVM's exit would otherwise wait 300 ms
   * for threads blocked in native code (their selectors). A second call finds it done.
   */
  private static void stop(Fanin fanin, Vertx vertx, Runnable closeTracing) {
    try {
      fanin.stop().eventually(vertx::close).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // exiting anyway
    }
    closeTracing.run();
  }

  private static void exit(int code, String message) {
    System.err.println("fanin run: " + message);
    System.exit(code);
  }
}
