package dev.fanin;

import dev.fanin.aggregate.Aggregator;
import dev.fanin.aggregate.AggregatorFactory;
import dev.fanin.aggregate.FeedParserDecoder;
import dev.fanin.aggregate.LoadShedder;
import dev.fanin.cache.Coalescer;
import dev.fanin.cache.ResponseCache;
import dev.fanin.cluster.ClusterView;
import dev.fanin.cluster.PollerView;
import dev.fanin.config.FaninConfig;
import dev.fanin.config.LiveConfig;
import dev.fanin.definition.DefinitionParser;
import dev.fanin.demo.DemoUpstream;
import dev.fanin.feeds.FeedDefinitionParser;
import dev.fanin.feeds.FeedRunHub;
import dev.fanin.feeds.FeedsVerticle;
import dev.fanin.fetch.BreakerRegistry;
import dev.fanin.fetch.ClientBudgets;
import dev.fanin.fetch.DailyBudgets;
import dev.fanin.fetch.Hedges;
import dev.fanin.fetch.HostResolver;
import dev.fanin.fetch.Lanes;
import dev.fanin.fetch.OriginGates;
import dev.fanin.fetch.ProcessBytes;
import dev.fanin.fetch.UpstreamSlots;
import dev.fanin.http.HttpVerticle;
import dev.fanin.http.IntakeParts;
import dev.fanin.metrics.FaninMetrics;
import dev.fanin.policy.DemoHosts;
import dev.fanin.policy.LoopMark;
import dev.fanin.policy.UpstreamPolicy;
import dev.fanin.security.ApiKeys;
import dev.fanin.security.RateLimiter;
import dev.fanin.tracing.Tracing;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: what fanin is made of. Every process-wide part is built here once, each
 * verticle is handed exactly the parts it uses, and the verticles are deployed in order: the demo
 * upstream, the feed registry, then one HTTP intake per core.
 */
public final class Fanin {
  private static final Logger LOG = LoggerFactory.getLogger(Fanin.class);
  private final Vertx vertx;
  private final FaninConfig config;
  private final LiveConfig live;
  private final FaninMetrics metrics;
  /** One breaker per upstream origin, shared by every event loop. */
  private final BreakerRegistry breakers;
  /** Aggregations in flight in the process (aggregate.maxInFlight). */
  private final LoadShedder aggregationsInFlight = new LoadShedder();
  /** Upstream requests in flight in the process (client.maxConnections). */
  private final UpstreamSlots upstreamSlots = new UpstreamSlots();
  /** Each origin's turn: requests in flight per origin and the fair queue behind them. */
  private final OriginGates gates;
  private final DailyBudgets budgets;
  private final ClientBudgets clientBudgets;
  /** Bytes all aggregations may hold together (aggregate.maxProcessBytes). */
  private final ProcessBytes processBytes;
  private final ResponseCache cache;
  private final Coalescer coalescer;
  /** Each intake loop's upstream client, for spreading large aggregations. */
  private final Lanes lanes = new Lanes();
  private final DemoHosts demo;
  private final LoopMark mark = new LoopMark();
  private final ApiKeys keys;
  private final RateLimiter rates;
  private final FeedRunHub hub;
  private final PollerView pollers = new PollerView();
  private final AtomicBoolean ready = new AtomicBoolean();
  private volatile Future<?> readyGate = Future.succeededFuture();
  private volatile boolean stopped;
  private final ClusterView cluster;
  private final EventLoopAggregators aggregators;
  private final Tracing tracing;
  private final List<String> deploymentIds = new ArrayList<>();
  private int port;
  private volatile HttpVerticle httpIntake;

  /** A process on its own, with a metrics registry of its own (tests, embedding). */
  public Fanin(Vertx vertx, FaninConfig config) {
    this(vertx, config, FaninMetrics.standalone(), ClusterView.alone());
  }

  /**
   * @param metrics the registry Vert.x reports into too (see Main)
   * @param cluster what this node sees of its cluster (a cluster of one when not clustered)
   */
  public Fanin(Vertx vertx, FaninConfig config, FaninMetrics metrics, ClusterView cluster) {
    this(vertx, config, metrics, cluster, Tracing.OFF);
  }

  /**
   * @param tracing fanin's own spans, on the OpenTelemetry Vert.x was built with (see Main);
   *     {@link Tracing#OFF} when tracing is off
   */
  public Fanin(Vertx vertx, FaninConfig config, FaninMetrics metrics, ClusterView cluster, Tracing tracing) {
    this.vertx = vertx;
    this.tracing = tracing;
    this.cluster = cluster;
    this.config = config;
    this.live = new LiveConfig(config);
    this.metrics = metrics;
    this.breakers = new BreakerRegistry(vertx, config.breaker(), metrics);
    // client.* shapes the connection pools at start, so the gates keep the start's values too
    this.clientBudgets = new ClientBudgets(vertx, () -> live.get().security(), metrics);
    this.budgets = new DailyBudgets(vertx, Path.of(config.feeds().dataDir()), Clock.systemUTC());
    this.gates = new OriginGates(vertx, config.client()::maxConnectionsPerOrigin, config.client()::maxWaitQueue,
        config.upstream(), () -> live.get().breaker().minTimeoutMs(), metrics, budgets);
    this.processBytes = new ProcessBytes(ProcessBytes.size(config.aggregate().maxProcessBytes(),
        Runtime.getRuntime().maxMemory()));
    this.cache = new ResponseCache(config.cache().maxBytes(), config.cache().clientShareBytes());
    this.coalescer = new Coalescer(vertx);
    this.demo = new DemoHosts(config.demo().enabled());
    this.keys = new ApiKeys(config.security().apiKeys());
    this.rates = new RateLimiter(config.security().requestsPerSecondPerKey(), config.security().burstPerKey());
    this.hub = new FeedRunHub(config.feeds().maxSubscribers(), config.feeds().maxSubscribersPerFeed());
    this.aggregators = new EventLoopAggregators(config, live, breakers, aggregationsInFlight, upstreamSlots, metrics,
        new FeedParserDecoder((int) Math.min(Integer.MAX_VALUE, config.source().maxBodyBytes())), cache, coalescer,
        lanes, gates, clientBudgets, new UpstreamPolicy(() -> live.get().upstream(), demo), mark, processBytes,
        new HostResolver(vertx), new Hedges(() -> live.get().upstream(), metrics), tracing);
    metrics.aggregationsInFlight(aggregationsInFlight::inFlight);
    metrics.memory(processBytes::held, processBytes.max());
    metrics.originQueues(gates::waiting, gates::size);
    applyLiveChanges();
  }

  /** What a changed config file changes in the running parts (the rest read live config as they go). */
  private void applyLiveChanges() {
    AtomicReference<FaninConfig.Breaker> breakerConfig = new AtomicReference<>(config.breaker());
    live.onChange(next -> {
      keys.replace(next.security().apiKeys());
      gates.configure(next.upstream());
      rates.reconfigure(next.security().requestsPerSecondPerKey(), next.security().burstPerKey());
      rates.retainOnly(next.security().apiKeys().stream().map(FaninConfig.ApiKey::id).collect(Collectors.toSet()));
      if (!next.breaker().equals(breakerConfig.getAndSet(next.breaker()))) {
        breakers.reconfigure(next.breaker());
      }
    });
  }

  /** Number of intake verticles: http.instances, or one per core when 0. */
  public int instances() {
    return instances(config);
  }

  /** Number of intake verticles a configuration asks for: http.instances, or one per core when 0. */
  static int instances(FaninConfig config) {
    int configured = config.http().instances();
    return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
  }

  /**
   * Holds /health/ready at DOWN after {@link #start} until {@code gate} completes, whether it
   * succeeds or fails (the start-up warm-up); call it before start. Without it, ready follows the
   * start.
   */
  public void readyAfter(Future<?> gate) {
    readyGate = gate;
  }

  /**
   * Starts listening; completes once every instance is ready. The registry is deployed first, so
   * that the port never answers without the feeds (and a broken operator feed stops the start
   * before anything listens), but its schedules wait until the port is bound: a process whose port
   * is taken fails with a {@link dev.fanin.http.ListenException} without having polled anything.
   */
  public Future<Fanin> start() {
    AtomicReference<HttpVerticle> first = new AtomicReference<>();
    Promise<Void> listening = Promise.promise();
    FeedDefinitionParser feedParser = new FeedDefinitionParser(new DefinitionParser(live), config.feeds());
    FeedsVerticle registry = new FeedsVerticle(feedParser, Path.of(config.feeds().confDir()),
        Path.of(config.feeds().dataDir()), config.feeds().maxFeeds(), v -> aggregators.create(v, false), pollers,
        config.cluster().lockRetryMs(), listening.future(), hub, cluster, () -> live.get().security(), tracing);
    IntakeParts intake = new IntakeParts(live, aggregators, keys, rates, mark, hub, metrics.registry(), breakers,
        ready, pollers, cluster, gates, clientBudgets);
    return startDemo()
        .compose(v -> budgets.start())
        .compose(v -> vertx.deployVerticle(registry))
        .compose(registryId -> {
          deploymentIds.add(registryId);
          return vertx.deployVerticle(() -> {
            HttpVerticle v = new HttpVerticle(config, intake);
            first.compareAndSet(null, v);
            return v;
          }, new DeploymentOptions().setInstances(instances())).recover(failure -> {
            // a start that fails leaves nothing deployed
            deploymentIds.remove(registryId);
            return vertx.undeploy(registryId).transform(v -> Future.failedFuture(failure));
          });
        })
        .map(id -> {
          deploymentIds.add(id);
          port = first.get().actualPort();
          httpIntake = first.get();
          listening.complete();
          readyGate.onComplete(ar -> ready.set(!stopped));
          return this;
        });
  }

  /**
   * The batch assembly ({@code fanin run}): the same process-wide parts and the same pipeline, without
   * the HTTP intake, the feed registry and its schedules, or the cluster. Starts the demo upstream
   * only when a source names it, loads the perDay budgets, and puts a lane on every event loop but
   * one, which the run's own verticle takes (its aggregator sends from them all, as a large
   * aggregation does in the service). Completes with the factory the run builds its aggregator with;
   * {@link #stop} undoes it.
   */
  public Future<AggregatorFactory> startBatch(boolean withDemo) {
    Future<Void> demoStarted = withDemo ? startDemo() : Future.succeededFuture();
    int lanes = instances() - 1;
    return demoStarted
        .compose(v -> budgets.start())
        .compose(v -> lanes < 1 ? Future.succeededFuture()
            : vertx.deployVerticle(() -> new Lane(aggregators), new DeploymentOptions().setInstances(lanes))
                .map(id -> {
                  deploymentIds.add(id);
                  return null;
                }))
        .map(v -> aggregators);
  }

  /** An event loop that only sends HTTP exchanges for the batch run's aggregator (a lane). */
  private static final class Lane extends VerticleBase {
    private final AggregatorFactory aggregators;
    private Aggregator aggregator;

    Lane(AggregatorFactory aggregators) {
      this.aggregators = aggregators;
    }

    @Override
    public Future<?> start() {
      aggregator = aggregators.create(vertx, true);
      return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
      aggregator.close();
      return Future.succeededFuture();
    }
  }

  /** The demo upstream on a loopback port of its own, when demo.enabled. */
  private Future<Void> startDemo() {
    if (!config.demo().enabled()) {
      return Future.succeededFuture();
    }
    DemoUpstream upstream = new DemoUpstream(config.demo().port());
    return vertx.deployVerticle(upstream).map(id -> {
      deploymentIds.add(id);
      demo.listening(upstream.actualPort());
      LOG.info("demo upstream on http://127.0.0.1:{} (sources reach it as http://{service}.{}/…)",
          upstream.actualPort(), DemoUpstream.DOMAIN);
      return null;
    });
  }

  /** Stops the intake first, then the registry (which waits for its pending writes). */
  public Future<Void> stop() {
    stopped = true;
    ready.set(false);
    Future<Void> chain = Future.succeededFuture();
    for (int i = deploymentIds.size() - 1; i >= 0; i--) {
      String id = deploymentIds.get(i);
      chain = chain.compose(v -> vertx.undeploy(id));
    }
    return chain.compose(v -> budgets.stop());
  }

  /** The routes the HTTP intake serves (every instance builds the same), once started. */
  public List<io.vertx.ext.web.Route> routes() {
    return httpIntake == null ? List.of() : httpIntake.routes();
  }

  /** The port the service listens on. */
  public int port() {
    return port;
  }

  public FaninConfig config() {
    return live.get();
  }

  /** The running configuration, which the config watcher may replace. */
  public LiveConfig live() {
    return live;
  }

  // what tests and operators look at

  public BreakerRegistry breakers() {
    return breakers;
  }

  public ResponseCache cache() {
    return cache;
  }

  public RateLimiter rateLimiter() {
    return rates;
  }

  public LoopMark loopMark() {
    return mark;
  }

  public ClusterView cluster() {
    return cluster;
  }

  public LoadShedder aggregationsInFlight() {
    return aggregationsInFlight;
  }
}
