package dev.fanin.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The process-wide store of upstream answers, bounded by total bytes (Caffeine with a weigher).
 * Each key holds the variants of one request (one per set of Vary header values).
 *
 * <p>Each key belongs to the client that stored it last (an API key, or one aggregation when no
 * keys are configured), and no client may hold more than its share of the bytes: past it, that
 * client's own oldest entries make room, so a client fetching large cacheable answers competes
 * with itself, never evicts everyone else's entries.
 */
public final class ResponseCache {
  static final int MAX_VARIANTS = 8;
  private final Cache<String, List<CachedResponse>> entries;
  private final long clientShareBytes;
  /** Guards the ledgers below; Caffeine calls its removal listener on the removing thread. */
  private final Object ledger = new Object();
  private final Map<String, String> ownerOf = new HashMap<>();
  private final Map<String, Owned> owners = new HashMap<>();
  private final Map<String, Long> weights = new HashMap<>();

  /** The keys one client owns, oldest first, and their bytes. */
  private static final class Owned {
    final LinkedHashSet<String> keys = new LinkedHashSet<>();
    long bytes;
  }

  public ResponseCache(long maxBytes) {
    this(maxBytes, maxBytes);
  }

  /** @param clientShareBytes the most bytes one client's entries may hold together */
  public ResponseCache(long maxBytes, long clientShareBytes) {
    this.clientShareBytes = clientShareBytes;
    this.entries = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .<String, List<CachedResponse>>weigher((k, variants) -> weigh(k, variants))
        .removalListener((String key, List<CachedResponse> variants, RemovalCause cause) -> {
          if (cause != RemovalCause.REPLACED) {
            disown(key);
          }
        })
        .executor(Runnable::run)
        .build();
  }

  private static int weigh(String key, List<CachedResponse> variants) {
    long w = key.length();
    for (CachedResponse r : variants) {
      w += r.weight();
    }
    return (int) Math.min(Integer.MAX_VALUE, w);
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

  /**
   * Stores a variant for {@code owner}. An answer larger than a client's whole share is not
   * stored; otherwise the owner's oldest entries are dropped until its share holds the new one.
   */
  void store(String key, CachedResponse response, String owner) {
    if (response.weight() + key.length() > clientShareBytes) {
      return;
    }
    List<String> over = new ArrayList<>();
    entries.asMap().compute(key, (k, old) -> {
      List<CachedResponse> variants = new ArrayList<>();
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
      List<CachedResponse> stored = List.copyOf(variants);
      // inside compute, so that an eviction of this key cannot run between storing and owning it
      over.addAll(own(key, owner, weigh(key, stored)));
      return stored;
    });
    over.forEach(entries::invalidate);
  }

  /** Records that {@code owner} holds {@code key}; returns the owner's keys to drop to fit its share. */
  private List<String> own(String key, String owner, long bytes) {
    synchronized (ledger) {
      disownLocked(key);
      Owned mine = owners.computeIfAbsent(owner, o -> new Owned());
      mine.keys.add(key);
      mine.bytes += bytes;
      ownerOf.put(key, owner);
      weights.put(key, bytes);
      List<String> drop = new ArrayList<>();
      long excess = mine.bytes - clientShareBytes;
      for (String oldest : mine.keys) {
        if (excess <= 0 || oldest.equals(key)) {
          break;
        }
        drop.add(oldest);
        excess -= weights.getOrDefault(oldest, 0L);
      }
      return drop;
    }
  }

  private void disown(String key) {
    synchronized (ledger) {
      disownLocked(key);
    }
  }

  private void disownLocked(String key) {
    String owner = ownerOf.remove(key);
    Long bytes = weights.remove(key);
    if (owner == null) {
      return;
    }
    Owned o = owners.get(owner);
    if (o != null) {
      o.keys.remove(key);
      o.bytes -= bytes == null ? 0 : bytes;
      if (o.keys.isEmpty()) {
        owners.remove(owner);
      }
    }
  }

  void remove(String key) {
    entries.invalidate(key);
  }

  /** The bytes held now (bodies plus a small overhead per entry). */
  public long weightedSize() {
    entries.cleanUp();
    return entries.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
  }

  /** The bytes one client's entries hold now. */
  public long bytesOf(String owner) {
    synchronized (ledger) {
      Owned o = owners.get(owner);
      return o == null ? 0 : o.bytes;
    }
  }

  /** How many clients own entries now (bounded by the number of entries). */
  public int owners() {
    synchronized (ledger) {
      return owners.size();
    }
  }
}
