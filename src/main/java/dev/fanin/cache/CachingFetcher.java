package dev.fanin.cache;

import dev.fanin.definition.CacheSpec;
import dev.fanin.fetch.ErrorKind;
import dev.fanin.fetch.FetchContext;
import dev.fanin.fetch.FetchException;
import dev.fanin.fetch.FetchRequest;
import dev.fanin.fetch.FetchResponse;
import dev.fanin.fetch.Fetcher;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A shared HTTP cache for GET and HEAD (RFC 9111): fresh answers are served from memory, stale ones
 * are revalidated with If-None-Match / If-Modified-Since (a 304 refreshes them), and when the
 * upstream fails a stale answer young enough for stale-if-error stands in. no-store and private
 * answers are never stored.
 */
public final class CachingFetcher implements Fetcher {
  private static final Set<Integer> STORABLE = Set.of(200, 203, 204, 300, 301, 404, 410);
  private final Fetcher next;
  private final ResponseCache cache;

  public CachingFetcher(Fetcher next, ResponseCache cache) {
    this.next = next;
    this.cache = cache;
  }

  @Override
  public Future<FetchResponse> fetch(FetchRequest request) {
    FetchContext context = request.context();
    CacheSpec spec = context.cacheSpec();
    if (spec == null || !spec.enabled()
        || (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD)) {
      return next.fetch(request);
    }
    String key = CacheKeys.of(request);
    long now = System.currentTimeMillis();
    CachedResponse stored = cache.lookup(key, request.headers());
    if (stored != null && stored.isFresh(now)) {
      return Future.succeededFuture(stored.toResponse().withCache("hit", stored.ageMs(now)));
    }
    FetchRequest outgoing = stored != null && stored.hasValidators() ? conditional(request, stored) : request;
    return next.fetch(outgoing).transform(ar -> {
      long at = System.currentTimeMillis();
      if (ar.succeeded()) {
        FetchResponse response = ar.result();
        if (response.status() == 304 && stored != null) {
          CachedResponse refreshed = refresh(stored, response, spec, at);
          cache.store(key, refreshed, context.cacheOwner());
          return Future.succeededFuture(refreshed.toResponse().withCache("revalidated", refreshed.ageMs(at)));
        }
        if (response.status() >= 500 && stored != null && stored.usableOnError(at, spec.staleIfErrorMs())) {
          return Future.succeededFuture(stored.toResponse().withCache("stale", stored.ageMs(at)));
        }
        store(key, request, response, spec, at, context.cacheOwner());
        return Future.succeededFuture(response); // a miss, or an answer coalesced with another request
      }
      ErrorKind kind = FetchException.kindOf(ar.cause());
      if (stored != null && kind != ErrorKind.CANCELLED && kind != ErrorKind.REJECTED && stored.usableOnError(at, spec.staleIfErrorMs())) {
        return Future.succeededFuture(stored.toResponse().withCache("stale", stored.ageMs(at)));
      }
      return Future.failedFuture(ar.cause());
    });
  }

  private static FetchRequest conditional(FetchRequest request, CachedResponse stored) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
    if (stored.etag() != null) {
      headers.set("If-None-Match", stored.etag());
    }
    if (stored.lastModified() != null) {
      headers.set("If-Modified-Since", stored.lastModified());
    }
    return request.withHeaders(headers);
  }

  private void store(String key, FetchRequest request, FetchResponse response, CacheSpec spec, long now,
      String owner) {
    if (!STORABLE.contains(response.status())) {
      return;
    }
    CacheControl cc = CacheControl.of(response.headers());
    String vary = String.join(",", response.headers().getAll("Vary"));
    if (cc.noStore() || cc.isPrivate() || vary.contains("*")) {
      cache.remove(key);
      return;
    }
    long lifetime = lifetime(cc, spec);
    long upstreamStaleIfError = Math.max(0, cc.staleIfErrorMs());
    boolean validators = response.headers().contains("ETag") || response.headers().contains("Last-Modified");
    if (lifetime <= 0 && !validators && spec.staleIfErrorMs() <= 0 && upstreamStaleIfError <= 0) {
      return; // nothing to gain from keeping it
    }
    List<String> names = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (String name : vary.split(",")) {
      String n = name.trim().toLowerCase(Locale.ROOT);
      if (!n.isEmpty()) {
        names.add(n);
        values.add(request.headers().get(n));
      }
    }
    cache.store(key, new CachedResponse(response.status(), response.headers(), response.body(), now,
        Math.max(0, cc.ageMs()), lifetime, upstreamStaleIfError, List.copyOf(names), values.stream().toList()),
        owner);
  }

  /** Freshness: none under no-cache, else the upstream's own, else the source's ttl. */
  private static long lifetime(CacheControl cc, CacheSpec spec) {
    if (cc.noCache()) {
      return 0;
    }
    return cc.lifetimeMs() >= 0 ? cc.lifetimeMs() : spec.ttlMs();
  }

  /** A 304 refreshes the stored answer: its headers, validators and freshness, not its body. */
  private static CachedResponse refresh(CachedResponse stored, FetchResponse notModified, CacheSpec spec, long now) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(stored.headers());
    for (String name : notModified.headers().names()) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (!lower.equals("content-length") && !lower.equals("transfer-encoding") && !lower.equals("content-encoding")) {
        headers.remove(name);
        notModified.headers().getAll(name).forEach(v -> headers.add(name, v));
      }
    }
    CacheControl cc = CacheControl.of(headers);
    return new CachedResponse(stored.status(), headers, stored.body(), now, Math.max(0, cc.ageMs()), lifetime(cc, spec),
        stored.staleIfErrorMs(), stored.varyNames(), stored.varyValues());
  }
}
