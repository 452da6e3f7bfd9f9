package dev.fanin.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The byte bound of the whole cache and the share of it each client may hold. */
class ResponseCacheTest {
  static CachedResponse answer(int bytes) {
    return new CachedResponse(200, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(new byte[bytes]),
        System.currentTimeMillis(), 0, 60_000, 0, List.of(), List.of());
  }

  @Test
  void aClientPastItsShareDropsItsOwnOldestEntriesNotAnyoneElses() {
    ResponseCache cache = new ResponseCache(100_000, 25_000);
    cache.store("bob-1", answer(5_000), "bob");
    cache.store("bob-2", answer(5_000), "bob");
    for (int i = 0; i < 20; i++) {
      cache.store("alice-" + i, answer(5_000), "alice");
    }
    assertTrue(cache.bytesOf("alice") <= 25_000, "alice holds " + cache.bytesOf("alice"));
    assertNotNull(cache.lookup("alice-19", MultiMap.caseInsensitiveMultiMap()), "the newest stays");
    assertNull(cache.lookup("alice-0", MultiMap.caseInsensitiveMultiMap()), "the oldest made room");
    assertNotNull(cache.lookup("bob-1", MultiMap.caseInsensitiveMultiMap()));
    assertNotNull(cache.lookup("bob-2", MultiMap.caseInsensitiveMultiMap()));
  }

  @Test
  void anAnswerLargerThanAShareIsNotStored() {
    ResponseCache cache = new ResponseCache(100_000, 10_000);
    cache.store("big", answer(20_000), "alice");
    assertNull(cache.lookup("big", MultiMap.caseInsensitiveMultiMap()));
    assertEquals(0, cache.bytesOf("alice"));
  }

  @Test
  void aKeyStoredAgainBelongsToItsLastStorerAndTheLedgerFollowsEvictions() {
    ResponseCache cache = new ResponseCache(30_000, 30_000);
    cache.store("k", answer(5_000), "alice");
    cache.store("k", answer(5_000), "bob");
    assertEquals(0, cache.bytesOf("alice"));
    assertTrue(cache.bytesOf("bob") > 5_000);
    cache.remove("k");
    assertEquals(0, cache.bytesOf("bob"));
    for (int i = 0; i < 50; i++) {
      cache.store("x" + i, answer(5_000), "carol");
    }
    cache.weightedSize();
    assertTrue(cache.bytesOf("carol") <= 30_000);
    assertEquals(1, cache.owners());
  }
}
