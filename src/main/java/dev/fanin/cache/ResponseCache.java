package dev.fanin.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.MultiMap;
import java.util.List;

/**
 * The process-wide store of upstream answers, bounded by total bytes (Caffeine with a weigher).
 * Each key holds the variants of one request (one per set of Vary header values).
 */
public final class ResponseCache {
  static final int MAX_VARIANTS = 8;
  private final Cache<String, List<CachedResponse>> entries;

  public ResponseCache(long maxBytes) {
    this.entries = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .<String, List<CachedResponse>>weigher((k, variants) -> {
          long w = k.length();
          for (CachedResponse r : variants) {
            w += r.weight();
          }
          return (int) Math.min(Integer.MAX_VALUE, w);
        })
        .executor(Runnable::run)
        .build();
  }

  CachedResponse lookup(String key, MultiMap requestHeaders) {
    List<CachedResponse> variants = entries.getIfPresent(key);
    if (variants == null) {
      return null;
    }
    for (CachedResponse r : variants) {
      if (r.matches(requestHeaders)) {
        return r;
      }
    }
    return null;
  }

  void store(String key, CachedResponse response) {
    entries.asMap().compute(key, (k, old) -> {
      java.util.ArrayList<CachedResponse> variants = new java.util.ArrayList<>();
      variants.add(response);
      if (old != null) {
        for (CachedResponse r : old) {
          if (!r.varyValues().equals(response.varyValues()) || !r.varyNames().equals(response.varyNames())) {
            if (variants.size() < MAX_VARIANTS) {
              variants.add(r);
            }
          }
        }
      }
      return List.copyOf(variants);
    });
  }

  void remove(String key) {
    entries.invalidate(key);
  }

  /** The bytes held now (bodies plus a small overhead per entry). */
  public long weightedSize() {
    entries.cleanUp();
    return entries.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
  }
}
