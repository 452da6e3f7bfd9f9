package dev.fanin.feeds;

import dev.fanin.aggregate.Aggregator;
import dev.fanin.cluster.ClusterView;
import dev.fanin.cluster.PollerView;
import dev.fanin.config.FaninConfig;
import dev.fanin.tracing.Tracing;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feed registry and the schedules of one process, wired from their parts: the shared map
 * ({@link FeedRegistry}), this node's copy of it ({@link LocalFeeds}), the replication between
 * nodes ({@link FeedReplication}), the loading at start ({@link FeedLoader}), the fanin.feeds.*
 * addresses ({@link FeedBusApi} over {@link FeedCatalog}, with {@link FeedOwnership} and
 * {@link FeedCosts}) and the scheduler ({@link FeedScheduler}).
 *
 * <p>One instance per process: its own changes are ordered on its event loop. It serves the
 * fanin.feeds.* addresses from the moment the process listens, and lets the schedules run from then.
 */
public final class FeedsVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(FeedsVerticle.class);
  private final FeedDefinitionParser parser;
  private final Path confDir;
  private final Path dataDir;
  private final int maxFeeds;
  private final Function<Vertx, Aggregator> aggregatorFactory;
  private final PollerView pollers;
  private final long lockRetryMs;
  /** The schedules start once this succeeds: when the process listens (see Fanin#start). */
  private final Future<?> schedulesFrom;
  private final FeedRunHub hub;
  private final ClusterView cluster;
  private final ChangeQueue changes = new ChangeQueue();
  /** The live security settings: keys' scopes and budgets, read at each change. */
  private final Supplier<FaninConfig.Security> security;
  private FeedScheduler scheduler;
  private FeedReplication replication;
  private Runnable membership = () -> { };

  /** Each scheduled poll's span (Tracing.OFF when tracing is off). */
  private final Tracing tracing;
  public FeedsVerticle(FeedDefinitionParser parser, Path confDir, Path dataDir, int maxFeeds,
      Function<Vertx, Aggregator> aggregatorFactory, PollerView pollers, long lockRetryMs,
      Future<?> schedulesFrom, FeedRunHub hub, ClusterView cluster, Supplier<FaninConfig.Security> security,
      Tracing tracing) {
    this.tracing = tracing;
    this.security = security;
    this.cluster = cluster;
    this.hub = hub;
    this.parser = parser;
    this.confDir = confDir;
    this.dataDir = dataDir;
    this.maxFeeds = maxFeeds;
    this.aggregatorFactory = aggregatorFactory;
    this.pollers = pollers;
    this.lockRetryMs = lockRetryMs;
    this.schedulesFrom = schedulesFrom;
  }

  @Override
  public Future<?> start() {
    AtomicReference<LocalFeeds> owners = new AtomicReference<>();
    String node = cluster.nodeId();
    // one process's registry is private to it (tests start several on one Vert.x); a cluster's is shared
    String namespace = vertx.isClustered() ? "fanin.feeds" : "fanin.feeds." + UUID.randomUUID();
    FeedStore store = new FeedStore(vertx, dataDir);
    SeenItems seen = new SeenItems();
    scheduler = new FeedScheduler(vertx, node,
        new FeedLeases(vertx, node, namespace + ".poller.", lockRetryMs, pollers),
        new ScheduledRuns(vertx, aggregatorFactory.apply(vertx), parser, seen, hub, node,
            name -> owners.get().owner(name), tracing), seen, hub);
    ClientSettings clients = new ClientSettings(security);
    FeedCosts costs = new FeedCosts(clients);
    LocalFeeds local = new LocalFeeds(parser, store, scheduler, vertx.isClustered(), costs);
    owners.set(local);
    return FeedRegistry.open(vertx, namespace).compose(registry -> {
      replication = new FeedReplication(vertx, registry, local, changes, node);
      FeedCatalog catalog = new FeedCatalog(registry, local, replication, changes, maxFeeds,
          new FeedOwnership(clients), costs);
      FeedBusApi api = new FeedBusApi(vertx.eventBus(), catalog, parser, hub, node);
      return new FeedLoader(vertx, parser, confDir, store, local, replication).load()
          .compose(v -> Future.all(api.listen(), replication.listen()));
    }).onSuccess(v -> {
      replication.startSync();
      membership = cluster.onMemberLeft(context, scheduler::memberLeft);
      schedulesFrom.onSuccess(listening -> context.runOnContext(x -> scheduler.release()));
      LOG.info("feed registry: {} feeds ({} read-only), data in {}{}", local.live(), local.readOnly(), store.dir(),
          vertx.isClustered() ? ", shared with the cluster" : "");
    });
  }

  @Override
  public Future<?> stop() {
    if (replication != null) {
      replication.stopSync();
    }
    membership.run();
    if (scheduler != null) {
      scheduler.stopAll();
    }
    return changes.drained();
  }

  /** A feed file that does not load; stops the start naming the file and the field. */
  public static final class FeedLoadException extends RuntimeException {
    public FeedLoadException(String file, String problem) {
      super("invalid feed " + file + ": " + problem, null, false, false);
    }
  }
}
