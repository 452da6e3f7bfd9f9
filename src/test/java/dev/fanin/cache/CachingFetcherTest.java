package dev.fanin.cache;

import static dev.fanin.testing.ScriptedFetcher.failing;
import static dev.fanin.testing.ScriptedFetcher.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.definition.CacheSpec;
import dev.fanin.fetch.ErrorKind;
import dev.fanin.fetch.FetchRequest;
import dev.fanin.fetch.FetchResponse;
import dev.fanin.testing.Fetches;
import dev.fanin.testing.ScriptedFetcher;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

/** The response cache as a decorator: hits, what is stored, revalidation and stale-if-error. */
class CachingFetcherTest {
  static final String URL = "http://a.example/x";
  static final CacheSpec TTL_60S = new CacheSpec(true, 60_000, 0);
  static final CacheSpec NO_TTL = new CacheSpec(true, 0, 0);
  final ResponseCache cache = new ResponseCache(1 << 20);

  static FetchRequest request(HttpMethod method, CacheSpec spec, String... headerPairs) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.add(headerPairs[i], headerPairs[i + 1]);
    }
    return Fetches.request(method, URL, headers, method == HttpMethod.POST ? Buffer.buffer("{}") : null,
        Fetches.context(5000).cacheSpec(spec).requestId("r1"));
  }

  static FetchRequest get(CacheSpec spec, String... headerPairs) {
    return request(HttpMethod.GET, spec, headerPairs);
  }

  /** Fetches twice through a fresh cache; returns the second answer. */
  FetchResponse twice(ScriptedFetcher upstream, FetchRequest request) {
    CachingFetcher fetcher = new CachingFetcher(upstream, cache);
    assertEquals("miss", fetcher.fetch(request).await().cache());
    return fetcher.fetch(request).await();
  }

  @Test
  void aFreshAnswerIsServedFromMemoryWithoutAskingTheUpstream() {
    ScriptedFetcher upstream = new ScriptedFetcher(status(200, "Cache-Control", "max-age=60"));
    FetchResponse second = twice(upstream, get(NO_TTL));
    assertEquals(1, upstream.calls());
    assertEquals("hit", second.cache());
    assertEquals("body 200", second.body().toString());
    assertTrue(second.cacheAgeMs() >= 0 && second.cacheAgeMs() < 60_000, "age " + second.cacheAgeMs());
  }

  @Test
  void theSourcesTtlAppliesWhenTheUpstreamSaysNothing() {
    ScriptedFetcher upstream = new ScriptedFetcher(status(200));
    assertEquals("hit", twice(upstream, get(TTL_60S)).cache());
    assertEquals(1, upstream.calls());
  }

  @Test
  void withoutFreshnessValidatorsOrStaleIfErrorNothingIsKept() {
    ScriptedFetcher upstream = new ScriptedFetcher(status(200));
    assertEquals("miss", twice(upstream, get(NO_TTL)).cache());
    assertEquals(2, upstream.calls());
  }

  @Test
  void sourcesWithoutTheCacheAndRequestsOtherThanGetAndHeadPassThrough() {
    for (FetchRequest request : new FetchRequest[] {get(null), get(new CacheSpec(false, 60_000, 0)),
        request(HttpMethod.POST, TTL_60S), request(HttpMethod.PUT, TTL_60S)}) {
      ScriptedFetcher upstream = new ScriptedFetcher(status(200, "Cache-Control", "max-age=60"));
      assertEquals("miss", twice(upstream, request).cache(), request.method() + " " + request.context().cacheSpec());
      assertEquals(2, upstream.calls());
    }
    ScriptedFetcher head = new ScriptedFetcher(status(200, "Cache-Control", "max-age=60"));
    assertEquals("hit", twice(head, request(HttpMethod.HEAD, NO_TTL)).cache());
  }

  @Test
  void noStorePrivateAndVaryStarAreNeverStored() {
    String[][] refusals = {{"Cache-Control", "no-store, max-age=60"}, {"Cache-Control", "private, max-age=60"},
        {"Cache-Control", "max-age=60", "Vary", "*"}};
    for (String[] headers : refusals) {
      ScriptedFetcher upstream = new ScriptedFetcher(status(200, headers));
      assertEquals("miss", twice(upstream, get(TTL_60S)).cache(), String.join(" ", headers));
      assertEquals(2, upstream.calls(), String.join(" ", headers));
    }
  }

  @Test
  void onlyStorableStatusesAreStored() {
    ScriptedFetcher error = new ScriptedFetcher(status(500, "Cache-Control", "max-age=60"));
    assertEquals("miss", twice(error, get(TTL_60S)).cache());
    assertEquals(2, error.calls());
    ScriptedFetcher gone = new ScriptedFetcher(status(404, "Cache-Control", "max-age=60"));
    FetchResponse second = twice(gone, get(TTL_60S));
    assertEquals("hit", second.cache());
    assertEquals(404, second.status());
  }

  @Test
  void credentialsInRequestHeadersKeepAnswersApart() {
    ScriptedFetcher upstream = new ScriptedFetcher(status(200, "Cache-Control", "max-age=60"));
    CachingFetcher fetcher = new CachingFetcher(upstream, cache);
    fetcher.fetch(get(TTL_60S, "X-API-Key", "alice")).await();
    assertEquals("miss", fetcher.fetch(get(TTL_60S, "X-API-Key", "bob")).await().cache());
    assertEquals("hit", fetcher.fetch(get(TTL_60S, "X-API-Key", "alice")).await().cache());
    assertEquals(2, upstream.calls());
  }

  @Test
  void aStaleAnswerIsRevalidatedWithItsValidatorsAndA304RefreshesIt() {
    String modified = "Mon, 01 Jan 2024 00:00:00 GMT";
    ScriptedFetcher upstream = new ScriptedFetcher(
        status(200, "ETag", "\"v1\"", "Last-Modified", modified, "Cache-Control", "max-age=0"),
        status(304, "Cache-Control", "max-age=60"));
    CachingFetcher fetcher = new CachingFetcher(upstream, cache);
    fetcher.fetch(get(NO_TTL)).await();
    assertNull(upstream.request(0).headers().get("If-None-Match"));

    FetchResponse revalidated = fetcher.fetch(get(NO_TTL)).await();
    assertEquals("\"v1\"", upstream.request(1).headers().get("If-None-Match"));
    assertEquals(modified, upstream.request(1).headers().get("If-Modified-Since"));
    assertEquals("revalidated", revalidated.cache());
    assertEquals(200, revalidated.status(), "the stored answer, not the 304");
    assertEquals("body 200", revalidated.body().toString());

    // the 304's max-age made the stored answer fresh again
    assertEquals("hit", fetcher.fetch(get(NO_TTL)).await().cache());
    assertEquals(2, upstream.calls());
  }

  @Test
  void aFailingUpstreamGetsTheStoredAnswerWithinStaleIfError() {
    CacheSpec staleFor60s = new CacheSpec(true, 0, 60_000);
    ScriptedFetcher upstream = new ScriptedFetcher(status(200, "Cache-Control", "max-age=0"), status(503),
        failing(ErrorKind.CONNECT), failing(ErrorKind.TIMEOUT));
    CachingFetcher fetcher = new CachingFetcher(upstream, cache);
    fetcher.fetch(get(staleFor60s)).await();
    for (int i = 0; i < 3; i++) {
      FetchResponse stale = fetcher.fetch(get(staleFor60s)).await();
      assertEquals("stale", stale.cache());
      assertEquals(200, stale.status());
      assertEquals("body 200", stale.body().toString());
    }
    assertEquals(4, upstream.calls());
  }

  @Test
  void theUpstreamsOwnStaleIfErrorCountsWhenTheSourceSetsNone() {
    ScriptedFetcher upstream = new ScriptedFetcher(status(200, "Cache-Control", "max-age=0, stale-if-error=60"),
        status(502));
    assertEquals("stale", twice(upstream, get(NO_TTL)).cache());
  }

  @Test
  void withoutStaleIfErrorTheFailureStands() {
    ScriptedFetcher upstream = new ScriptedFetcher(status(200, "Cache-Control", "max-age=0", "ETag", "\"e\""),
        status(503));
    FetchResponse second = twice(upstream, get(NO_TTL));
    assertEquals(503, second.status());
    assertEquals("miss", second.cache());
  }

  @Test
  void cancelledAndRejectedFetchesAreNeverCoveredByAStaleAnswer() {
    CacheSpec staleFor60s = new CacheSpec(true, 0, 60_000);
    for (ErrorKind kind : new ErrorKind[] {ErrorKind.CANCELLED, ErrorKind.REJECTED}) {
      ScriptedFetcher upstream = new ScriptedFetcher(status(200, "Cache-Control", "max-age=0"), failing(kind));
      CachingFetcher fetcher = new CachingFetcher(upstream, new ResponseCache(1 << 20));
      fetcher.fetch(get(staleFor60s)).await();
      Fetches.failure(fetcher.fetch(get(staleFor60s)), kind);
    }
  }
}
