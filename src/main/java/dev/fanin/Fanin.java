package dev.fanin;

import dev.fanin.aggregate.Aggregators;
import dev.fanin.config.FaninConfig;
import dev.fanin.config.LiveConfig;
import dev.fanin.demo.DemoUpstream;
import dev.fanin.definition.DefinitionParser;
import dev.fanin.feeds.FeedDefinitionParser;
import dev.fanin.feeds.FeedsVerticle;
import dev.fanin.fetch.BreakerRegistry;
import dev.fanin.metrics.FaninMetrics;
import dev.fanin.http.HttpVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deploys a fanin service on a Vert.x instance: the shared parts once, the intake per core. */
public final class Fanin {
  private static final Logger LOG = LoggerFactory.getLogger(Fanin.class);
  private final Vertx vertx;
  private final FaninConfig config;
  private final ProcessServices services;
  private final List<String> deploymentIds = new ArrayList<>();
  private int port;

  public Fanin(Vertx vertx, FaninConfig config) {
    this(vertx, config, FaninMetrics.standalone());
  }

  /** With the metrics registry Vert.x reports into too (see Main). */
  public Fanin(Vertx vertx, FaninConfig config, FaninMetrics metrics) {
    this.vertx = vertx;
    this.config = config;
    this.services = ProcessServices.create(vertx, new LiveConfig(config), metrics);
  }

  /** Number of intake verticles: http.instances, or one per core when 0. */
  public int instances() {
    int configured = config.http().instances();
    return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
  }

  /**
   * Starts listening; completes once every instance is ready. The registry is deployed first, so
   * that the port never answers without the feeds (and a broken operator feed stops the start
   * before anything listens), but its schedules wait until the port is bound: a process whose port
   * is taken fails with a {@link dev.fanin.http.ListenException} without having polled anything.
   */
  public Future<Fanin> start() {
    int n = instances();
    AtomicReference<HttpVerticle> first = new AtomicReference<>();
    Promise<Void> listening = Promise.promise();
    FeedDefinitionParser feedParser = new FeedDefinitionParser(new DefinitionParser(services.live()), config.feeds());
    FeedsVerticle registry = new FeedsVerticle(feedParser, Path.of(config.feeds().confDir()),
        Path.of(config.feeds().dataDir()), config.feeds().maxFeeds(),
        v -> Aggregators.create(v, config, services), services.pollers(), config.cluster().lockRetryMs(),
        listening.future(), services.hub());
    return startDemo()
        .compose(v -> vertx.deployVerticle(registry))
        .compose(registryId -> {
          deploymentIds.add(registryId);
          return vertx.deployVerticle(() -> {
            HttpVerticle v = new HttpVerticle(config, services, n);
            first.compareAndSet(null, v);
            return v;
          }, new DeploymentOptions().setInstances(n)).recover(failure -> {
            // a start that fails leaves nothing deployed
            deploymentIds.remove(registryId);
            return vertx.undeploy(registryId).transform(v -> Future.failedFuture(failure));
          });
        })
        .map(id -> {
          deploymentIds.add(id);
          port = first.get().actualPort();
          listening.complete();
          services.ready().set(true);
          return this;
        });
  }

  /** The demo upstream on a loopback port of its own, when demo.enabled. */
  private Future<Void> startDemo() {
    if (!config.demo().enabled()) {
      return Future.succeededFuture();
    }
    DemoUpstream demo = new DemoUpstream(config.demo().port());
    return vertx.deployVerticle(demo).map(id -> {
      deploymentIds.add(id);
      services.demo().listening(demo.actualPort());
      LOG.info("demo upstream on http://127.0.0.1:{} (sources reach it as http://{service}.{}/…)",
          demo.actualPort(), DemoUpstream.DOMAIN);
      return null;
    });
  }

  /** Stops the intake first, then the registry (which waits for its pending writes). */
  public Future<Void> stop() {
    services.ready().set(false);
    Future<Void> chain = Future.succeededFuture();
    for (int i = deploymentIds.size() - 1; i >= 0; i--) {
      String id = deploymentIds.get(i);
      chain = chain.compose(v -> vertx.undeploy(id));
    }
    return chain;
  }

  /** Whether every verticle is deployed (readiness). */
  public boolean started() {
    return port > 0;
  }

  /** The port the service listens on. */
  public int port() {
    return port;
  }

  public BreakerRegistry breakers() {
    return services.breakers();
  }

  public ProcessServices services() {
    return services;
  }

  public FaninConfig config() {
    return services.live().get();
  }

  /** The running configuration, which ConfigWatcher may replace. */
  public LiveConfig live() {
    return services.live();
  }
}
