package dev.fanin.feeds;

import dev.fanin.feeds.FeedException.Reason;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The registry itself: the shared map of {@link FeedRecord}s, Vert.x's local map in one process and
 * Hazelcast's distributed map in a cluster, the same code path. Every write is compare-and-set
 * against the version read, retried a bounded number of times, so that If-Match and "created" are
 * right even when two nodes write at once. When two versions of a feed meet, the newer one wins
 * (see {@link FeedRecord#newerThan}); a deleted feed stays as a tombstone for
 * {@link #TOMBSTONE_TTL_MS}, so that a node that was away cannot revive it.
 *
 * <p>The map holds each record's compact encoding; a version read once is not decoded again.
 * Confined to the registry's event loop.
 */
final class FeedRegistry {
  /** A deleted feed's tombstone is kept this long, so that a node that was away cannot revive it. */
  static final long TOMBSTONE_TTL_MS = 7L * 24 * 3600 * 1000;
  static final int CAS_ATTEMPTS = 16;
  private final AsyncMap<String, String> map;
  /** The version of each feed last read or written, as the map holds it and decoded. */
  private final Map<String, Stored> known = new HashMap<>();

  private record Stored(String encoded, FeedRecord record) {}

  FeedRegistry(AsyncMap<String, String> map) {
    this.map = map;
  }

  /** The registry's map under this name (see FeedsVerticle for which name). */
  static Future<FeedRegistry> open(Vertx vertx, String name) {
    return vertx.sharedData().<String, String>getAsyncMap(name).map(FeedRegistry::new);
  }

  /** Whether a record is a tombstone past its time at {@code now}. */
  static boolean expired(FeedRecord record, long now) {
    return record.deleted() && record.updatedAt() < now - TOMBSTONE_TTL_MS;
  }

  /** A feed's current record (a tombstone too), or null. */
  Future<FeedRecord> get(String name) {
    return map.get(name).map(encoded -> decode(name, encoded));
  }

  /** Every record the map holds, by name. */
  Future<SortedMap<String, FeedRecord>> entries() {
    return map.entries().map(entries -> {
      SortedMap<String, FeedRecord> records = new TreeMap<>();
      entries.forEach((name, encoded) -> records.put(name, decode(name, encoded)));
      known.keySet().retainAll(entries.keySet());
      return records;
    });
  }

  /**
   * Reads a feed's record, asks the change for the next one (null: leave it as it is), and writes
   * it only if nobody wrote in between, reading again otherwise. Completes with the record
   * written, or null when the change left the record as it was; fails with the change's own
   * exception, or BUSY after {@link #CAS_ATTEMPTS} lost races.
   */
  Future<FeedRecord> update(String name, UnaryOperator<FeedRecord> change) {
    return update(name, change, 1);
  }

  private Future<FeedRecord> update(String name, UnaryOperator<FeedRecord> change, int attempt) {
    return map.get(name).compose(encoded -> {
      FeedRecord next = change.apply(decode(name, encoded));
      if (next == null) {
        return Future.succeededFuture();
      }
      String nextEncoded = next.encode();
      Future<Boolean> written = encoded == null
          ? map.putIfAbsent(name, nextEncoded).map(Objects::isNull)
          : map.replaceIfPresent(name, encoded, nextEncoded);
      return written.compose(ok -> {
        if (ok) {
          known.put(name, new Stored(nextEncoded, next));
          return Future.succeededFuture(next);
        }
        if (attempt >= CAS_ATTEMPTS) {
          return Future.failedFuture(new FeedException(Reason.BUSY,
              "feed " + name + " is being changed concurrently; try again"));
        }
        return update(name, change, attempt + 1);
      });
    });
  }

  /**
   * Puts a record unless the map holds a newer version (a node rejoining with newer versions than
   * the cluster's); an operator feed replaces whatever the map holds under its name, unless the map
   * has it already. Completes with the record written, or null when the map kept its own.
   */
  Future<FeedRecord> offer(FeedRecord record) {
    return update(record.name(), current -> {
      if (record.readOnly() && current != null && current.readOnly()
          && Objects.equals(current.definition(), record.definition())) {
        return null;
      }
      if (record.readOnly()) {
        return FeedRecord.live(record.name(), current, record.definition(), true);
      }
      return record.newerThan(current) ? record : null;
    });
  }

  /** Removes a tombstone (past its time) unless the map holds another version by now. */
  Future<Void> removeTombstone(FeedRecord tombstone) {
    Stored stored = known.get(tombstone.name());
    String encoded = stored != null && stored.record() == tombstone ? stored.encoded() : tombstone.encode();
    return map.removeIfPresent(tombstone.name(), encoded).mapEmpty();
  }

  private FeedRecord decode(String name, String encoded) {
    if (encoded == null) {
      known.remove(name);
      return null;
    }
    Stored stored = known.get(name);
    if (stored != null && stored.encoded().equals(encoded)) {
      return stored.record();
    }
    FeedRecord record = FeedRecord.decode(name, encoded);
    known.put(name, new Stored(encoded, record));
    return record;
  }
}
