package dev.fanin.feeds;

import dev.fanin.aggregate.Aggregator;
import dev.fanin.cluster.ClusterView;
import dev.fanin.cluster.PollerView;
import dev.fanin.definition.InvalidDefinitionException;
import dev.fanin.definition.StrictJson;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feed registry. The registry itself is a shared map of {@link FeedRecord}s: Vert.x's local
 * map in a single process, Hazelcast's distributed map in a cluster, so a feed written through
 * one node is read from the same map by every other. Writes are compare-and-set on that map (so
 * If-Match holds across nodes), then persisted on this node's disk before they are acknowledged,
 * then announced on fanin.feeds.changed so that every other node persists them too. At start a node
 * merges its disk into the map (the newer revision wins) and adopts what the map holds; in a
 * cluster it re-reads the map periodically to heal any change it missed.
 *
 * <p>One instance per process: its own changes are ordered on its event loop. It serves the
 * fanin.feeds.* addresses and runs the schedules ({@link FeedScheduler}), from the moment the
 * process listens.
 */
public final class FeedsVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(FeedsVerticle.class);
  /** A deleted feed's tombstone is kept this long, so that a node that was away cannot revive it. */
  static final long TOMBSTONE_TTL_MS = 7L * 24 * 3600 * 1000;
  /** How often a node compares its copy with the shared map (and drops expired tombstones). */
  static final long SYNC_MS = 10_000;
  private static final int CAS_ATTEMPTS = 16;
  private final FeedDefinitionParser parser;
  private final Path confDir;
  private final Path dataDir;
  private final int maxFeeds;
  private final Function<io.vertx.core.Vertx, Aggregator> aggregatorFactory;
  private final PollerView pollers;
  private final long lockRetryMs;
  /** The schedules start once this succeeds: when the process listens (see Fanin#start). */
  private final Future<?> schedulesFrom;
  private final FeedRunHub hub;
  private final ClusterView cluster;
  /**
   * This node's copy: what it has on disk and schedules, with the parsed feed (null for tombstones
   * and for records read from disk but not yet adopted).
   */
  private final Map<String, Local> local = new TreeMap<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private AsyncMap<String, String> shared;
  private String node;
  private FeedStore store;
  private FeedScheduler scheduler;
  private Future<?> writes = Future.succeededFuture();
  private long syncTimer = -1;
  private Runnable membership = () -> { };

  private record Local(FeedRecord record, String encoded, Feed feed, boolean applied) {}

  public FeedsVerticle(FeedDefinitionParser parser, Path confDir, Path dataDir, int maxFeeds,
      Function<io.vertx.core.Vertx, Aggregator> aggregatorFactory) {
    this(parser, confDir, dataDir, maxFeeds, aggregatorFactory, new PollerView(), 1_000, Future.succeededFuture(),
        new FeedRunHub(Integer.MAX_VALUE, Integer.MAX_VALUE), ClusterView.alone());
  }

  public FeedsVerticle(FeedDefinitionParser parser, Path confDir, Path dataDir, int maxFeeds,
      Function<io.vertx.core.Vertx, Aggregator> aggregatorFactory, PollerView pollers, long lockRetryMs,
      Future<?> schedulesFrom, FeedRunHub hub, ClusterView cluster) {
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
    node = cluster.nodeId();
    // one process's registry is private to it (tests start several on one Vert.x); a cluster's is shared
    String namespace = vertx.isClustered() ? "fanin.feeds" : "fanin.feeds." + UUID.randomUUID();
    store = new FeedStore(vertx, dataDir);
    scheduler = new FeedScheduler(vertx, aggregatorFactory.apply(vertx), parser, node, namespace + ".poller.",
        lockRetryMs, pollers, hub);
    Map<String, Feed> conf = new TreeMap<>();
    Map<String, FeedRecord> disk = new TreeMap<>();
    return vertx.sharedData().<String, String>getAsyncMap(namespace)
        .compose(map -> {
          shared = map;
          return loadConfFeeds(conf);
        })
        .compose(v -> store.open())
        .compose(v -> loadStoredRecords(disk, conf))
        .compose(v -> sequentially(disk.values(), this::offer))
        .compose(v -> sequentially(conf.values(),
            feed -> offer(FeedRecord.live(feed.name(), null, feed.definition(), true))))
        .compose(v -> adoptShared())
        .compose(v -> listen())
        .onSuccess(v -> {
          syncTimer = vertx.setPeriodic(SYNC_MS, t -> serialized(this::sync));
          membership = cluster.onMemberLeft(vertx.getOrCreateContext(), scheduler::memberLeft);
          schedulesFrom.onSuccess(listening -> context.runOnContext(x -> scheduler.release()));
          long live = local.values().stream().filter(l -> l.feed != null).count();
          LOG.info("feed registry: {} feeds ({} read-only), data in {}{}", live,
              local.values().stream().filter(l -> l.feed != null && l.feed.readOnly()).count(), store.dir(),
              vertx.isClustered() ? ", shared with the cluster" : "");
        });
  }

  @Override
  public Future<?> stop() {
    if (syncTimer >= 0) {
      vertx.cancelTimer(syncTimer);
    }
    membership.run();
    if (scheduler != null) {
      scheduler.stopAll();
    }
    return writes.otherwiseEmpty();
  }

  private Future<Void> listen() {
    EventBus bus = vertx.eventBus();
    consumers.add(bus.<JsonObject>consumer(FeedAddresses.PUT, m -> handle(m, this::put)));
    consumers.add(bus.<JsonObject>consumer(FeedAddresses.GET, m -> handle(m, this::get)));
    consumers.add(bus.<JsonObject>consumer(FeedAddresses.LIST, m -> handle(m, this::list)));
    consumers.add(bus.<JsonObject>consumer(FeedAddresses.DELETE, m -> handle(m, this::delete)));
    consumers.add(bus.<JsonObject>consumer(FeedAddresses.LATEST, m -> handle(m, this::latest)));
    consumers.add(bus.<JsonObject>consumer(FeedAddresses.RUNS, m -> handle(m, this::runsAfter)));
    consumers.add(bus.<String>consumer(FeedAddresses.CHANGED, this::changed));
    List<Future<Void>> ready = new ArrayList<>();
    consumers.forEach(c -> ready.add(c.completion()));
    return Future.all(ready).mapEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // loading and adopting

  private Future<Void> loadConfFeeds(Map<String, Feed> conf) {
    if (!Files.isDirectory(confDir)) {
      return Future.succeededFuture();
    }
    return vertx.fileSystem().readDir(confDir.toString(), ".*\\.json$")
        .compose(files -> sequentially(files.stream().sorted().toList(), file ->
            vertx.fileSystem().readFile(file).compose(content -> {
              String name = baseName(file);
              try {
                conf.put(name, parser.parse(name, StrictJson.parseObject(content), true));
              } catch (InvalidDefinitionException e) {
                return Future.failedFuture(new FeedLoadException(file, e.getMessage()));
              }
              return Future.succeededFuture();
            })));
  }

  private Future<Void> loadStoredRecords(Map<String, FeedRecord> disk, Map<String, Feed> conf) {
    return store.list().compose(files -> sequentially(files.stream().sorted().toList(), file ->
        store.read(file).compose(content -> {
          String name = baseName(file);
          FeedRecord record;
          try {
            record = FeedRecord.fromFile(name, StrictJson.parseObject(content));
            if (!record.deleted()) {
              parser.parse(name, record.definition(), false);
            }
          } catch (InvalidDefinitionException e) {
            return Future.failedFuture(new FeedLoadException(file, e.getMessage()));
          } catch (RuntimeException e) {
            return Future.failedFuture(new FeedLoadException(file, e.getMessage()));
          }
          if (conf.containsKey(name)) {
            LOG.warn("ignoring stored feed {}: a read-only feed of that name is configured in {}", file, confDir);
          } else {
            disk.put(name, record);
            local.put(name, new Local(record, record.encode(), null, false));
          }
          return Future.succeededFuture();
        })));
  }

  private static String baseName(String file) {
    String fileName = Path.of(file).getFileName().toString();
    return fileName.substring(0, fileName.length() - FeedStore.SUFFIX.length());
  }

  /**
   * Puts a record into the shared map unless the map holds a newer version, and tells the other
   * nodes when it did (a node rejoining with newer versions than the cluster's).
   */
  private Future<Void> offer(FeedRecord record) {
    FeedRecord[] before = new FeedRecord[1];
    return update(record.name(), (current, encoded) -> {
      before[0] = current;
      if (record.readOnly() && current != null && current.readOnly()
          && Objects.equals(current.definition(), record.definition())) {
        return null;
      }
      if (record.readOnly()) {
        // an operator feed replaces whatever the map holds under its name
        return FeedRecord.live(record.name(), current, record.definition(), true);
      }
      return record.newerThan(current) ? record : null;
    }).onSuccess(now -> {
      if (now != null && now != before[0]) {
        announce(now.encode(), now.name());
      }
    }).mapEmpty();
  }

  private void announce(String encoded, String name) {
    vertx.eventBus().publish(FeedAddresses.CHANGED, encoded, new DeliveryOptions()
        .addHeader("name", name).addHeader(FeedScheduler.NODE_HEADER, node));
  }

  /** Makes this node's copy (disk and schedules) match the shared map. */
  private Future<Void> adoptShared() {
    return shared.entries().compose(entries -> {
      List<Map.Entry<String, String>> sorted = new ArrayList<>(new TreeMap<>(entries).entrySet());
      return sequentially(sorted, e -> adopt(FeedRecord.decode(e.getKey(), e.getValue()), e.getValue()));
    });
  }

  /**
   * Takes a version seen in the shared map (or announced) if it is newer than this node's: writes
   * it to disk (tombstones too; operator feeds never) and applies it to the schedules.
   */
  private Future<Void> adopt(FeedRecord record, String encoded) {
    Local mine = local.get(record.name());
    boolean onDisk = mine != null && mine.encoded.equals(encoded);
    if (mine != null && mine.applied && (onDisk || !record.newerThan(mine.record))) {
      return Future.succeededFuture();
    }
    Feed feed = null;
    if (!record.deleted()) {
      try {
        feed = parser.parse(record.name(), record.definition(), record.readOnly());
      } catch (InvalidDefinitionException e) {
        // written by a node with other limits or another version: keep it out of this node's schedules
        LOG.warn("feed {} from the cluster does not validate on this node: {}", record.name(), e.getMessage());
        return Future.succeededFuture();
      }
    }
    Feed adopted = feed;
    Future<Void> persisted = record.readOnly() || onDisk ? Future.succeededFuture() : persist(record);
    return persisted.map(v -> {
      apply(record, encoded, adopted);
      return null;
    });
  }

  /**
   * Writes a record to this node's disk. A single process has no other node to tell about a
   * delete, so there a delete removes the file; a cluster member keeps a tombstone.
   */
  private Future<Void> persist(FeedRecord record) {
    return record.deleted() && !vertx.isClustered() ? store.delete(record.name()) : store.write(record);
  }

  private void apply(FeedRecord record, String encoded, Feed feed) {
    local.put(record.name(), new Local(record, encoded, feed, true));
    if (feed != null) {
      scheduler.apply(feed);
    } else {
      scheduler.remove(record.name());
    }
  }

  /** Another node changed a feed: take the change (the serialized queue keeps order with local writes). */
  private void changed(Message<String> message) {
    String name = message.headers().get("name");
    if (node.equals(message.headers().get(FeedScheduler.NODE_HEADER)) || name == null || message.body() == null) {
      return;
    }
    serialized(() -> adopt(FeedRecord.decode(name, message.body()), message.body()).map(new JsonObject()));
  }

  /**
   * Anti-entropy, every SYNC_MS: adopts what the map holds that this node lacks, offers
   * back what the map lost (members that failed together), and drops tombstones past their time.
   */
  private Future<JsonObject> sync() {
    return shared.entries().compose(entries -> {
      List<Future<Void>> steps = new ArrayList<>();
      long expired = System.currentTimeMillis() - TOMBSTONE_TTL_MS;
      Future<Void> chain = Future.succeededFuture();
      for (Map.Entry<String, String> e : new TreeMap<>(entries).entrySet()) {
        FeedRecord record = FeedRecord.decode(e.getKey(), e.getValue());
        if (record.deleted() && record.updatedAt() < expired) {
          chain = chain.compose(v -> shared.removeIfPresent(e.getKey(), e.getValue()).mapEmpty());
          chain = chain.compose(v -> forgetTombstone(e.getKey()));
        } else {
          chain = chain.compose(v -> adopt(record, e.getValue()));
        }
      }
      for (Local mine : new ArrayList<>(local.values())) {
        if (!entries.containsKey(mine.record.name()) && !mine.record.readOnly()) {
          chain = chain.compose(v -> mine.record.deleted() && mine.record.updatedAt() < expired
              ? forgetTombstone(mine.record.name())
              : offer(mine.record));
        }
      }
      steps.add(chain);
      return Future.join(steps).otherwise(t -> {
        LOG.warn("feed registry sync failed: {}", t.toString());
        return null;
      }).map(new JsonObject());
    });
  }

  private Future<Void> forgetTombstone(String name) {
    Local mine = local.get(name);
    if (mine == null || !mine.record.deleted()) {
      return Future.succeededFuture();
    }
    local.remove(name);
    return store.delete(name);
  }

  // ---------------------------------------------------------------------------------------------
  // the fanin.feeds.* addresses

  private void handle(Message<JsonObject> message, Function<JsonObject, Future<JsonObject>> op) {
    JsonObject body = message.body() == null ? new JsonObject() : message.body();
    Future<JsonObject> result;
    try {
      result = op.apply(body);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result(), new DeliveryOptions().addHeader(FeedScheduler.NODE_HEADER, node));
      } else if (ar.cause() instanceof FeedException fe) {
        message.fail(fe.status(), fe.getMessage());
      } else if (ar.cause() instanceof InvalidDefinitionException ide) {
        message.fail(400, ide.getMessage());
      } else {
        LOG.error("feed registry failure", ar.cause());
        message.fail(500, "the feed registry failed: " + ar.cause().getMessage());
      }
    });
  }

  private static String name(JsonObject body) {
    Object name = body.getValue("name");
    if (!(name instanceof String s) || !FeedDefinitionParser.NAME.matcher(s).matches()) {
      throw new FeedException(400, FeedDefinitionParser.NAME_RULE);
    }
    return s;
  }

  /** The feed a shared record stands for, parsed once per version. */
  private Feed feed(String name, String encoded) {
    if (encoded == null) {
      return null;
    }
    Local mine = local.get(name);
    if (mine != null && mine.applied && mine.encoded.equals(encoded)) {
      return mine.feed;
    }
    FeedRecord record = FeedRecord.decode(name, encoded);
    return record.deleted() ? null : parser.parse(name, record.definition(), record.readOnly());
  }

  /** The current version, read from the shared map: what any node wrote is visible at once. */
  private Future<Feed> current(String name) {
    return shared.get(name).map(encoded -> {
      Feed feed = feed(name, encoded);
      if (feed == null) {
        throw new FeedException(404, "no feed named " + name);
      }
      return feed;
    });
  }

  private Future<JsonObject> get(JsonObject body) {
    return current(name(body)).map(Feed::toJson);
  }

  private Future<JsonObject> list(JsonObject body) {
    return shared.entries().map(entries -> {
      JsonArray list = new JsonArray();
      for (Map.Entry<String, String> e : new TreeMap<>(entries).entrySet()) {
        Feed feed = feed(e.getKey(), e.getValue());
        if (feed != null) {
          list.add(feed.summaryJson());
        }
      }
      return new JsonObject().put("feeds", list);
    });
  }

  private Future<JsonObject> latest(JsonObject body) {
    String name = name(body);
    return current(name).map(feed -> {
      JsonObject run = scheduler.latest(name);
      if (run == null) {
        throw new FeedException(404, "feed " + name + " has no completed scheduled run yet");
      }
      return run;
    });
  }

  /** {"name", "after"} → {"runs": [...]}: the runs after that id, or the latest when it is unknown. */
  private Future<JsonObject> runsAfter(JsonObject body) {
    String name = name(body);
    return current(name).map(feed -> {
      JsonArray runs = new JsonArray();
      scheduler.runsAfter(name, body.getString("after")).forEach(run -> runs.add(new JsonObject(run.json())));
      return new JsonObject().put("runs", runs);
    });
  }

  private Future<JsonObject> put(JsonObject body) {
    String name = name(body);
    if (!(body.getValue("definition") instanceof JsonObject definition)) {
      throw new FeedException(400, "definition must be a JSON object");
    }
    String ifMatch = body.getString("ifMatch");
    Feed feed = parser.parse(name, definition, false);
    FeedRecord[] before = new FeedRecord[1];
    return serialized(() -> update(name, (current, encoded) -> {
      before[0] = current;
      Feed old = feed(name, encoded);
      checkWritable(name, old, ifMatch);
      if (old == null && liveFeeds() >= maxFeeds) {
        throw new FeedException(409, "the registry holds its maximum of " + maxFeeds + " feeds");
      }
      return FeedRecord.live(name, current, definition, false);
    }).compose(record -> committed(record, feed))
        .map(v -> new JsonObject().put("created", !FeedRecord.isLive(before[0])).put("feed", feed.toJson())));
  }

  private Future<JsonObject> delete(JsonObject body) {
    String name = name(body);
    String ifMatch = body.getString("ifMatch");
    return serialized(() -> update(name, (current, encoded) -> {
      Feed old = feed(name, encoded);
      checkWritable(name, old, ifMatch);
      if (old == null) {
        throw new FeedException(404, "no feed named " + name);
      }
      return FeedRecord.tombstone(name, current);
    }).compose(record -> committed(record, null))
        .map(v -> new JsonObject().put("deleted", name)));
  }

  /** A change won the shared map: persist it here, apply it, and tell the other nodes. */
  private Future<Void> committed(FeedRecord record, Feed feed) {
    String encoded = record.encode();
    return persist(record).map(v -> {
      apply(record, encoded, feed);
      announce(encoded, record.name());
      return null;
    });
  }

  private long liveFeeds() {
    return local.values().stream().filter(l -> l.feed != null).count();
  }

  /**
   * Reads a feed's shared record, asks the change for the next one (null: leave it), and writes it
   * only if nobody wrote in between, reading again otherwise. Completes with the record written or
   * kept.
   */
  private Future<FeedRecord> update(String name, BiFunction<FeedRecord, String, FeedRecord> change) {
    return update(name, change, 1);
  }

  private Future<FeedRecord> update(String name, BiFunction<FeedRecord, String, FeedRecord> change, int attempt) {
    return shared.get(name).compose(encoded -> {
      FeedRecord current = encoded == null ? null : FeedRecord.decode(name, encoded);
      FeedRecord next = change.apply(current, encoded);
      if (next == null) {
        return Future.succeededFuture(current);
      }
      String nextEncoded = next.encode();
      Future<Boolean> written = encoded == null
          ? shared.putIfAbsent(name, nextEncoded).map(Objects::isNull)
          : shared.replaceIfPresent(name, encoded, nextEncoded);
      return written.compose(ok -> {
        if (ok) {
          return Future.succeededFuture(next);
        }
        if (attempt >= CAS_ATTEMPTS) {
          return Future.failedFuture(new FeedException(409, "feed " + name + " is being changed concurrently; try again"));
        }
        return update(name, change, attempt + 1);
      });
    });
  }

  /** Changes are chained so that each one's checks see every earlier change already applied. */
  private Future<JsonObject> serialized(Supplier<Future<JsonObject>> change) {
    Promise<JsonObject> done = Promise.promise();
    writes = writes.transform(ignored -> {
      Future<JsonObject> f;
      try {
        f = change.get();
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      return f.onComplete(done);
    });
    return done.future();
  }

  private static <T> Future<Void> sequentially(Iterable<T> items, Function<T, Future<Void>> step) {
    Future<Void> chain = Future.succeededFuture();
    for (T item : items) {
      chain = chain.compose(v -> step.apply(item));
    }
    return chain;
  }

  private static void checkWritable(String name, Feed old, String ifMatch) {
    if (old != null && old.readOnly()) {
      throw new FeedException(409, "feed " + name + " is configured by the operator and read-only");
    }
    if (ifMatch != null && !matches(ifMatch, old)) {
      throw new FeedException(412, "If-Match " + ifMatch + " does not match the current version of feed " + name);
    }
  }

  private static boolean matches(String ifMatch, Feed current) {
    if (current == null) {
      return false;
    }
    if (ifMatch.trim().equals("*")) {
      return true;
    }
    for (String tag : ifMatch.split(",")) {
      // strong comparison (RFC 9110 §13.1.1): a weak tag never matches
      if (tag.trim().equals(current.etag())) {
        return true;
      }
    }
    return false;
  }

  /** A feed file that does not load; stops the start naming the file and the field. */
  public static final class FeedLoadException extends RuntimeException {
    public FeedLoadException(String file, String problem) {
      super("invalid feed " + file + ": " + problem, null, false, false);
    }
  }
}
