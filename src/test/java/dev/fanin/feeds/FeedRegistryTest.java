package dev.fanin.feeds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.feeds.FeedException.Reason;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The typed registry over a map: compare-and-set, the newer version winning, tombstones. */
class FeedRegistryTest {
  static final JsonObject DEF = new JsonObject().put("sources", new JsonArray());
  static final JsonObject OTHER = new JsonObject().put("sources", new JsonArray()).put("deadlineMs", 100);

  final RacyMap map = new RacyMap();
  final FeedRegistry registry = new FeedRegistry(map);

  static <T> T result(Future<T> future) {
    assertTrue(future.succeeded(), () -> String.valueOf(future.cause()));
    return future.result();
  }

  static FeedException refusal(Future<?> future) {
    assertTrue(future.failed(), "expected a refusal");
    return (FeedException) future.cause();
  }

  FeedRecord stored(String name) {
    String encoded = map.values.get(name);
    return encoded == null ? null : FeedRecord.decode(name, encoded);
  }

  @Test
  void aChangeIsWrittenOnlyOverTheVersionItRead() {
    FeedRecord first = result(registry.update("f", current -> FeedRecord.live("f", current, DEF, false)));
    assertEquals(1, first.rev());
    // another node writes between this node's read and its write: the write fails and is tried again
    FeedRecord theirs = new FeedRecord("f", 2, 1, false, OTHER);
    map.beforeWrite = () -> {
      map.values.put("f", theirs.encode());
      map.beforeWrite = null;
    };
    List<FeedRecord> seen = new ArrayList<>();
    FeedRecord mine = result(registry.update("f", current -> {
      seen.add(current);
      return FeedRecord.live("f", current, DEF, false);
    }));
    assertEquals(List.of(first, theirs), seen);
    assertEquals(3, mine.rev());
    assertEquals(mine, stored("f"));
  }

  @Test
  void creatingIsPutIfAbsent() {
    map.beforeWrite = () -> {
      map.values.put("new", new FeedRecord("new", 1, 1, false, OTHER).encode());
      map.beforeWrite = null;
    };
    FeedRecord written = result(registry.update("new", current -> FeedRecord.live("new", current, DEF, false)));
    assertEquals(2, written.rev(), "the second try saw the record created meanwhile");
  }

  @Test
  void afterSixteenLostRacesTheChangeIsRefusedAsBusy() {
    int[] n = {0};
    map.beforeWrite = () -> map.values.put("f", new FeedRecord("f", ++n[0], 1, false, DEF).encode());
    int[] tries = {0};
    FeedException busy = refusal(registry.update("f", current -> {
      tries[0]++;
      return FeedRecord.live("f", current, OTHER, false);
    }));
    assertEquals(Reason.BUSY, busy.reason());
    assertEquals(FeedRegistry.CAS_ATTEMPTS, tries[0]);
  }

  @Test
  void aChangeMayLeaveTheRecordOrRefuse() {
    result(registry.update("f", current -> FeedRecord.live("f", current, DEF, false)));
    String before = map.values.get("f");
    assertNull(result(registry.update("f", current -> null)));
    FeedException refused = refusal(registry.update("f", current -> {
      throw new FeedException(Reason.NOT_CURRENT, "no");
    }));
    assertEquals(Reason.NOT_CURRENT, refused.reason());
    assertEquals(before, map.values.get("f"));
  }

  @Test
  void anOfferIsKeptOnlyWhenNewer() {
    FeedRecord rev2 = new FeedRecord("f", 2, 100, false, DEF);
    assertEquals(rev2, result(registry.offer(rev2)));
    assertNull(result(registry.offer(new FeedRecord("f", 1, 900, false, OTHER))), "an older revision loses");
    assertNull(result(registry.offer(new FeedRecord("f", 2, 50, false, OTHER))), "an earlier change loses");
    assertNull(result(registry.offer(rev2)), "the same version changes nothing");
    FeedRecord deleted = new FeedRecord("f", 3, 10, false, null);
    assertEquals(deleted, result(registry.offer(deleted)), "a newer tombstone wins");
    assertEquals(deleted, stored("f"));
  }

  @Test
  void anOperatorFeedReplacesWhatTheMapHoldsUnlessItHoldsItAlready() {
    registry.offer(new FeedRecord("op", 5, 100, false, OTHER));
    FeedRecord operator = result(registry.offer(FeedRecord.live("op", null, DEF, true)));
    assertEquals(6, operator.rev());
    assertTrue(operator.readOnly());
    assertEquals(operator, stored("op"));
    assertNull(result(registry.offer(FeedRecord.live("op", null, DEF, true))), "another node's copy of it");
  }

  @Test
  void recordsAreReadTypedByNameAndDecodedOncePerVersion() {
    registry.offer(new FeedRecord("b", 1, 1, false, DEF));
    registry.offer(new FeedRecord("a", 1, 1, false, null));
    map.values.put("c", new FeedRecord("c", 4, 1, false, OTHER).encode());
    Map<String, FeedRecord> all = result(registry.entries());
    assertEquals(List.of("a", "b", "c"), List.copyOf(all.keySet()));
    assertTrue(all.get("a").deleted());
    assertEquals(4, all.get("c").rev());
    assertSame(all.get("c"), result(registry.get("c")), "an unchanged version is not decoded again");
    assertNull(result(registry.get("none")));
  }

  @Test
  void anExpiredTombstoneIsRemovedUnlessChangedMeanwhile() {
    long now = System.currentTimeMillis();
    long old = now - FeedRegistry.TOMBSTONE_TTL_MS - 1;
    FeedRecord gone = new FeedRecord("gone", 2, old, false, null);
    assertTrue(FeedRegistry.expired(gone, now));
    assertFalse(FeedRegistry.expired(new FeedRecord("gone", 2, now, false, null), now));
    assertFalse(FeedRegistry.expired(new FeedRecord("live", 2, old, false, DEF), now), "only tombstones expire");

    registry.offer(gone);
    FeedRecord read = result(registry.get("gone"));
    result(registry.removeTombstone(read));
    assertNull(stored("gone"));

    registry.offer(gone);
    read = result(registry.get("gone"));
    FeedRecord revived = new FeedRecord("gone", 3, now, false, DEF);
    map.values.put("gone", revived.encode());
    result(registry.removeTombstone(read));
    assertEquals(revived, stored("gone"), "a feed written again after the read stays");
  }

  /** A map whose writes can be preceded by another writer's, as if a node wrote at the same time. */
  static final class RacyMap implements AsyncMap<String, String> {
    final Map<String, String> values = new HashMap<>();
    Runnable beforeWrite;

    private void race() {
      if (beforeWrite != null) {
        beforeWrite.run();
      }
    }

    @Override
    public Future<String> get(String k) {
      return Future.succeededFuture(values.get(k));
    }

    @Override
    public Future<Void> put(String k, String v) {
      values.put(k, v);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> put(String k, String v, long ttl) {
      return put(k, v);
    }

    @Override
    public Future<String> putIfAbsent(String k, String v) {
      race();
      return Future.succeededFuture(values.putIfAbsent(k, v));
    }

    @Override
    public Future<String> putIfAbsent(String k, String v, long ttl) {
      return putIfAbsent(k, v);
    }

    @Override
    public Future<String> remove(String k) {
      return Future.succeededFuture(values.remove(k));
    }

    @Override
    public Future<Boolean> removeIfPresent(String k, String v) {
      return Future.succeededFuture(values.remove(k, v));
    }

    @Override
    public Future<String> replace(String k, String v) {
      return Future.succeededFuture(values.replace(k, v));
    }

    @Override
    public Future<Boolean> replaceIfPresent(String k, String oldValue, String newValue) {
      race();
      return Future.succeededFuture(Objects.equals(values.get(k), oldValue) && values.replace(k, oldValue, newValue));
    }

    @Override
    public Future<Void> clear() {
      values.clear();
      return Future.succeededFuture();
    }

    @Override
    public Future<Integer> size() {
      return Future.succeededFuture(values.size());
    }

    @Override
    public Future<Set<String>> keys() {
      return Future.succeededFuture(new HashSet<>(values.keySet()));
    }

    @Override
    public Future<List<String>> values() {
      return Future.succeededFuture(new ArrayList<>(values.values()));
    }

    @Override
    public Future<Map<String, String>> entries() {
      return Future.succeededFuture(new HashMap<>(values));
    }
  }
}
