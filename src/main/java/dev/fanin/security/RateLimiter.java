package dev.fanin.security;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per API key, shared by every intake instance. Bounded: one bucket per configured
 * key (the buckets of keys removed from the configuration are dropped). A rate of 0 turns limiting off.
 */
public final class RateLimiter {
  private volatile double perSecond;
  private volatile double burst;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(int perSecond, int burst) {
    this.perSecond = perSecond;
    this.burst = Math.max(1, burst);
  }

  /** New rates for every key (live configuration); buckets refill at the new pace. */
  public void reconfigure(int perSecond, int burst) {
    this.perSecond = perSecond;
    this.burst = Math.max(1, burst);
  }

  /** Forgets the buckets of keys that are no longer configured (live configuration removed them). */
  public void retainOnly(Set<String> keyIds) {
    buckets.keySet().retainAll(keyIds);
  }

  /** How many keys have a bucket now. */
  public int buckets() {
    return buckets.size();
  }

  /** 0 when the request may go, otherwise the milliseconds until it could. */
  public long acquire(String keyId) {
    if (perSecond <= 0) {
      return 0;
    }
    return buckets.computeIfAbsent(keyId, k -> new Bucket()).take();
  }

  private final class Bucket {
    private double tokens = burst;
    private long last = System.nanoTime();

    synchronized long take() {
      long now = System.nanoTime();
      tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) / perSecond * 1000);
    }
  }
}
