package dev.fanin.feeds;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * This node's copy of the registry: the version of each feed it keeps on its disk and schedules,
 * and each definition parsed once. A record read from disk at start waits here, not yet applied,
 * until the start adopts the shared map's version. What the applied feeds cost their owners is
 * kept in step ({@link FeedCosts}). Confined to the registry's event loop.
 */
final class LocalFeeds {
  private final FeedDefinitionParser parser;
  private final FeedStore store;
  private final FeedScheduler scheduler;
  private final boolean clustered;
  private final FeedCosts costs;
  private final Map<String, Copy> copies = new TreeMap<>();
  /** The last definition parsed of each feed, known by its etag. */
  private final Map<String, Parsed> parsed = new HashMap<>();

  private record Copy(FeedRecord record, boolean applied) {}

  private record Parsed(FeedRecord record, Feed feed) {}

  LocalFeeds(FeedDefinitionParser parser, FeedStore store, FeedScheduler scheduler, boolean clustered,
      FeedCosts costs) {
    this.costs = costs;
    this.parser = parser;
    this.store = store;
    this.scheduler = scheduler;
    this.clustered = clustered;
  }

  /** A record read from this node's disk at start: kept, not yet applied. */
  void loaded(FeedRecord record) {
    copies.put(record.name(), new Copy(record, false));
  }

  /** A feed parsed at start (from disk or the operator's folder), so that adopting it parses nothing. */
  void remember(Feed feed) {
    parsed.put(feed.name(), new Parsed(null, feed));
  }

  /** This node's version of a feed, or null. */
  FeedRecord mine(String name) {
    Copy copy = copies.get(name);
    return copy == null ? null : copy.record();
  }

  /** Whether this node's version of a feed is applied (not a record read from disk and waiting). */
  boolean applied(String name) {
    Copy copy = copies.get(name);
    return copy != null && copy.applied();
  }

  /** Every version this node has, applied or not. */
  List<FeedRecord> records() {
    List<FeedRecord> records = new ArrayList<>(copies.size());
    copies.values().forEach(c -> records.add(c.record()));
    return records;
  }

  /**
   * The feed a record stands for (null for a tombstone or none), parsed once per definition; throws
   * {@link dev.fanin.definition.InvalidDefinitionException} when it does not validate on this node.
   */
  Feed feed(FeedRecord record) {
    if (!FeedRecord.isLive(record)) {
      return null;
    }
    Parsed known = parsed.get(record.name());
    if (known != null && known.feed().readOnly() == record.readOnly() && (known.record() == record
        || known.feed().etag().equals(FeedDefinitionParser.etag(record.definition())))) {
      return known.feed();
    }
    Feed feed = parser.parse(record.name(), record.definition(), record.readOnly());
    parsed.put(record.name(), new Parsed(record, feed));
    return feed;
  }

  /**
   * Writes a record to this node's disk. A single process has no other node to tell about a
   * delete, so there a delete removes the file; a cluster member keeps a tombstone.
   */
  Future<Void> persist(FeedRecord record) {
    return record.deleted() && !clustered ? store.delete(record.name()) : store.write(record);
  }

  /** The owner of the feed's version this node applied (FeedClient.NONE when none is known). */
  FeedClient owner(String name) {
    Copy copy = copies.get(name);
    return copy == null ? FeedClient.NONE : copy.record().owner();
  }

  /** Makes a version this node's own: its schedule starts, changes or stops to match. */
  void apply(FeedRecord record, Feed feed) {
    copies.put(record.name(), new Copy(record, true));
    costs.apply(record.name(), record.owner(), feed);
    if (feed != null) {
      parsed.put(record.name(), new Parsed(record, feed));
      scheduler.apply(feed);
    } else {
      parsed.remove(record.name());
      scheduler.remove(record.name());
    }
  }

  /** Drops a tombstone past its time from this node (its copy and its file). */
  Future<Void> forgetTombstone(String name) {
    Copy copy = copies.get(name);
    if (copy == null || !copy.record().deleted()) {
      return Future.succeededFuture();
    }
    copies.remove(name);
    return store.delete(name);
  }

  /** The live feeds this node has applied. */
  long live() {
    return copies.values().stream().filter(c -> c.applied() && FeedRecord.isLive(c.record())).count();
  }

  /** The live operator feeds this node has applied. */
  long readOnly() {
    return copies.values().stream()
        .filter(c -> c.applied() && FeedRecord.isLive(c.record()) && c.record().readOnly()).count();
  }
}
