package dev.fanin.feeds;

import dev.fanin.definition.InvalidDefinitionException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's copy ({@link LocalFeeds}) in step with the shared map and the other nodes: a
 * node announces each change it made on fanin.feeds.changed, and takes the changes others
 * announce; every {@link #SYNC_MS} it compares its copy with the map in both directions, which
 * heals announcements it missed and records the map lost when members failed together, and drops
 * tombstones past their time. Confined to the registry's event loop; its changes go through the
 * node's {@link ChangeQueue}.
 */
final class FeedReplication {
  private static final Logger LOG = LoggerFactory.getLogger(FeedReplication.class);
  /** How often a node compares its copy with the shared map (and drops expired tombstones). */
  static final long SYNC_MS = 10_000;
  private final Vertx vertx;
  private final FeedRegistry registry;
  private final LocalFeeds local;
  private final ChangeQueue changes;
  private final String node;
  private long syncTimer = -1;

  FeedReplication(Vertx vertx, FeedRegistry registry, LocalFeeds local, ChangeQueue changes, String node) {
    this.vertx = vertx;
    this.registry = registry;
    this.local = local;
    this.changes = changes;
    this.node = node;
  }

  /** Takes the changes other nodes announce. */
  Future<Void> listen() {
    MessageConsumer<String> consumer = vertx.eventBus().consumer(FeedAddresses.CHANGED, this::changed);
    return consumer.completion();
  }

  void startSync() {
    syncTimer = vertx.setPeriodic(SYNC_MS, t -> changes.submit(this::sync));
  }

  void stopSync() {
    if (syncTimer >= 0) {
      vertx.cancelTimer(syncTimer);
    }
  }

  /** Tells the other nodes of a change this node made, so that they persist it. */
  void announce(FeedRecord record) {
    vertx.eventBus().publish(FeedAddresses.CHANGED, record.encode(), new DeliveryOptions()
        .addHeader("name", record.name()).addHeader(FeedAddresses.NODE_HEADER, node));
  }

  /** Offers a record to the shared map (see {@link FeedRegistry#offer}) and announces it if it won. */
  Future<Void> offer(FeedRecord record) {
    return registry.offer(record).map(written -> {
      if (written != null) {
        announce(written);
      }
      return null;
    });
  }

  /** Makes this node's copy (disk and schedules) match the shared map. */
  Future<Void> adoptAll() {
    return registry.entries().compose(records -> ChangeQueue.inOrder(records.values(), this::adopt));
  }

  /**
   * Takes a version seen in the shared map (or announced) if it is newer than this node's: writes
   * it to disk (tombstones too; operator feeds never) and applies it to the schedules.
   */
  Future<Void> adopt(FeedRecord record) {
    String name = record.name();
    FeedRecord mine = local.mine(name);
    boolean onDisk = mine != null && mine.sameVersion(record);
    if (mine != null && local.applied(name) && (onDisk || !record.newerThan(mine))) {
      return Future.succeededFuture();
    }
    Feed feed;
    try {
      feed = local.feed(record);
    } catch (InvalidDefinitionException e) {
      // written by a node with other limits or another version: keep it out of this node's schedules
      LOG.warn("feed {} from the cluster does not validate on this node: {}", name, e.getMessage());
      return Future.succeededFuture();
    }
    Future<Void> persisted = record.readOnly() || onDisk ? Future.succeededFuture() : local.persist(record);
    return persisted.map(v -> {
      local.apply(record, feed);
      return null;
    });
  }

  /** Another node changed a feed: take the change, in order with this node's own. */
  private void changed(Message<String> message) {
    String name = message.headers().get("name");
    if (node.equals(message.headers().get(FeedAddresses.NODE_HEADER)) || name == null || message.body() == null) {
      return;
    }
    changes.submit(() -> adopt(FeedRecord.decode(name, message.body())));
  }

  /**
   * Anti-entropy: adopts what the map holds that this node lacks, offers back what the map lost
   * (members that failed together), and drops tombstones past their time.
   */
  Future<Void> sync() {
    return registry.entries().compose(records -> {
      long now = System.currentTimeMillis();
      Future<Void> chain = Future.succeededFuture();
      for (FeedRecord record : records.values()) {
        if (FeedRegistry.expired(record, now)) {
          chain = chain.compose(v -> registry.removeTombstone(record))
              .compose(v -> local.forgetTombstone(record.name()));
        } else {
          chain = chain.compose(v -> adopt(record));
        }
      }
      for (FeedRecord mine : local.records()) {
        if (!records.containsKey(mine.name()) && !mine.readOnly()) {
          chain = chain.compose(v -> FeedRegistry.expired(mine, now) ? local.forgetTombstone(mine.name()) : offer(mine));
        }
      }
      return chain.otherwise(t -> {
        LOG.warn("feed registry sync failed: {}", t.toString());
        return null;
      });
    });
  }
}
