package dev.fanin.feeds;

import dev.fanin.feeds.FeedException.Reason;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * What clients do with the registry: read the current feeds, and put or delete one (If-Match, the
 * read-only operator feeds, ownership, feeds.maxFeeds and the owner's scheduled-feed budget checked
 * against the version read). Reads go to the shared map, so a change made through any node is
 * visible at once. A change that won the map is
 * on this node's disk and applied before it is acknowledged, then announced to the other nodes.
 */
final class FeedCatalog {
  private final FeedRegistry registry;
  private final LocalFeeds local;
  private final FeedReplication replication;
  private final ChangeQueue changes;
  private final int maxFeeds;
  private final FeedOwnership ownership;
  private final FeedCosts costs;

  FeedCatalog(FeedRegistry registry, LocalFeeds local, FeedReplication replication, ChangeQueue changes,
      int maxFeeds, FeedOwnership ownership, FeedCosts costs) {
    this.ownership = ownership;
    this.costs = costs;
    this.registry = registry;
    this.local = local;
    this.replication = replication;
    this.changes = changes;
    this.maxFeeds = maxFeeds;
  }

  /** A feed's current version; fails NOT_FOUND when there is none. */
  Future<Feed> current(String name) {
    return registry.get(name).map(record -> {
      Feed feed = local.feed(record);
      if (feed == null) {
        throw new FeedException(Reason.NOT_FOUND, "no feed named " + name);
      }
      return feed;
    });
  }

  /** Every live feed, by name. */
  Future<List<Feed>> list() {
    return registry.entries().map(records -> {
      List<Feed> feeds = new ArrayList<>();
      for (FeedRecord record : records.values()) {
        Feed feed = local.feed(record);
        if (feed != null) {
          feeds.add(feed);
        }
      }
      return feeds;
    });
  }

  /**
   * Puts a validated feed for a caller; completes with whether it was created (there was no live
   * version). A new feed belongs to the caller; a replaced one keeps its owner, whose budget it is
   * checked against.
   */
  Future<Boolean> put(Feed feed, String ifMatch, FeedClient caller) {
    String name = feed.name();
    FeedRecord[] before = new FeedRecord[1];
    return changes.submit(() -> registry.update(name, current -> {
      before[0] = current;
      FeedRecord seen = visible(current, caller);
      checkWritable(name, seen, caller, ifMatch);
      if (seen == null && local.live() >= maxFeeds) {
        throw new FeedException(Reason.FULL, "the registry holds its maximum of " + maxFeeds + " feeds");
      }
      FeedClient owner = seen == null ? caller : seen.owner();
      costs.check(owner, feed);
      if (seen == null && FeedRecord.isLive(current)) {
        // every refusal a missing feed would get was given above; what is left would create it
        throw ownership.taken(caller, name);
      }
      return FeedRecord.live(name, current, feed.definition(), false, owner);
    }).compose(record -> commit(record, feed))
        .map(v -> !FeedRecord.isLive(before[0])));
  }

  /** Deletes a feed for a caller, leaving a tombstone in the map. */
  Future<Void> delete(String name, String ifMatch, FeedClient caller) {
    return changes.submit(() -> registry.update(name, current -> {
      FeedRecord seen = visible(current, caller);
      checkWritable(name, seen, caller, ifMatch);
      if (seen == null) {
        throw new FeedException(Reason.NOT_FOUND, "no feed named " + name);
      }
      return FeedRecord.tombstone(name, current);
    }).compose(record -> commit(record, null)));
  }

  /**
   * The live version of a feed as the caller may know it: null when there is none, or when it is
   * hidden from the caller (see {@link FeedOwnership#hidden}), so that its answers are a missing feed's.
   */
  private FeedRecord visible(FeedRecord current, FeedClient caller) {
    if (local.feed(current) == null || ownership.hidden(caller, current)) {
      return null;
    }
    return current;
  }

  /** A change won the shared map: persist it here, apply it, and tell the other nodes. */
  private Future<Void> commit(FeedRecord record, Feed feed) {
    return local.persist(record).map(v -> {
      local.apply(record, feed);
      replication.announce(record);
      return null;
    });
  }

  private void checkWritable(String name, FeedRecord current, FeedClient caller, String ifMatch) {
    Feed old = local.feed(current);
    if (old != null && old.readOnly()) {
      throw new FeedException(Reason.READ_ONLY, "feed " + name + " is configured by the operator and read-only");
    }
    if (old != null && !ownership.mayChange(caller, current)) {
      throw ownership.notYours(caller, current);
    }
    if (ifMatch != null && !matches(ifMatch, old)) {
      throw new FeedException(Reason.NOT_CURRENT,
          "If-Match " + ifMatch + " does not match the current version of feed " + name);
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
}
