package dev.fanin.fetch;

import java.util.HashMap;
import java.util.Map;

/**
 * A definition's own rate ({@code "rate": {"perSecond": 10, "burst": 10}}): a token bucket per
 * origin, shared by the sources of one aggregation (or one batch run). A request reserves its
 * token and waits until its time; one whose time would come after its deadline takes none.
 * Shared by the sources of one aggregation, which may run on several event loops: synchronized.
 */
public final class ClientPace {
  private final double perSecond;
  private final int burst;
  private final Map<String, TokenBucket> buckets = new HashMap<>();

  public ClientPace(double perSecond, int burst) {
    this.perSecond = perSecond;
    this.burst = burst;
  }

  /**
   * Reserves a token of the origin's bucket: the time (nanoseconds) the request may go, or -1
   * when that would be after {@code deadline} (then nothing is reserved).
   */
  synchronized long reserve(String origin, long now, long deadline) {
    TokenBucket bucket = buckets.computeIfAbsent(origin, o -> new TokenBucket(perSecond, burst, now));
    long at = bucket.nextAt(now);
    if (at > deadline) {
      return -1;
    }
    bucket.owe(now);
    return at;
  }

  @Override
  public String toString() {
    return "rate.perSecond " + perSecond + ", rate.burst " + burst;
  }
}
