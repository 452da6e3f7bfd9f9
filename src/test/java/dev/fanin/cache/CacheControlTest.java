package dev.fanin.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Freshness as a shared cache computes it (RFC 9111 §4.2). */
class CacheControlTest {
  static MultiMap headers(String... pairs) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      m.add(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  @Test
  void sMaxAgeWinsOverMaxAgeWhichWinsOverExpires() {
    assertEquals(20_000, CacheControl.of(headers("Cache-Control", "max-age=10, s-maxage=20")).lifetimeMs());
    assertEquals(10_000, CacheControl.of(headers("Cache-Control", "max-age=10",
        "Expires", "Thu, 01 Jan 2026 01:00:00 GMT", "Date", "Thu, 01 Jan 2026 00:00:00 GMT")).lifetimeMs());
    assertEquals(3_600_000, CacheControl.of(headers(
        "Expires", "Thu, 01 Jan 2026 01:00:00 GMT", "Date", "Thu, 01 Jan 2026 00:00:00 GMT")).lifetimeMs());
    assertEquals(0, CacheControl.of(headers("Expires", "0")).lifetimeMs(), "an invalid Expires is already expired");
    assertEquals(-1, CacheControl.of(headers()).lifetimeMs());
  }

  @Test
  void directives() {
    CacheControl cc = CacheControl.of(headers("Cache-Control", "no-store", "Cache-Control", "PRIVATE, No-Cache, stale-if-error=30"));
    assertTrue(cc.noStore());
    assertTrue(cc.isPrivate());
    assertTrue(cc.noCache());
    assertEquals(30_000, cc.staleIfErrorMs());
    assertTrue(CacheControl.of(headers("Pragma", "no-cache")).noCache());
  }

  @Test
  void ageCountsAgainstFreshness() {
    CacheControl cc = CacheControl.of(headers("Cache-Control", "max-age=60", "Age", "50"));
    long now = 1_000_000;
    CachedResponse r = new CachedResponse(200, headers(), Buffer.buffer("x"), now, cc.ageMs(), cc.lifetimeMs(), 0,
        List.of(), List.of());
    assertTrue(r.isFresh(now + 9_000));
    assertFalse(r.isFresh(now + 10_001), "50 s old when stored: fresh for 10 s more only");
    assertTrue(r.usableOnError(now + 20_000, 15_000));
    assertFalse(r.usableOnError(now + 20_000, 0));
  }
}
