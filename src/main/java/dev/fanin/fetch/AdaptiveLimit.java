package dev.fanin.fetch;

/**
 * The number of requests fanin lets be in flight to one origin, learned the way TCP learns a window
 * and Netflix's concurrency-limits learn a limit (AIMD). It starts at {@link #INITIAL} on an origin
 * fanin does not know, and in slow start grows by one with every success and doubles every
 * {@link #SLOW_START_STEP} besides (so an origin that answers in a second is not held to 20 for a
 * second); a throttle or an overload signal (429, 503, a connect error, a timeout) halves it and
 * ends slow start; afterwards a success raises it by one, but only while the origin actually uses
 * at least half of it, so an idle origin's limit does not drift up on no evidence. Never below
 * {@link #FLOOR}, never above the ceiling (the rule's maxConcurrency, client.maxConnectionsPerOrigin).
 * Works on a clock the caller passes in (nanoseconds). Not thread-safe: its owner guards it.
 */
final class AdaptiveLimit {
  /**
   * The limit of an origin fanin has not talked to yet (Netflix's concurrency-limits start at 20): a burst of thousands at an origin whose capacity is unknown is how a crawler gets banned.
   */
  static final int INITIAL = 10;
  /** In slow start the limit doubles this often (in nanoseconds) even before answers come back. */
  static final long SLOW_START_STEP = 50_000_000L;
  static final int FLOOR = 2;
  static final double DECREASE = 0.5;
  private final int ceiling;
  private final long since;
  private double limit;
  private boolean slowStart = true;
  private boolean fixed;

  AdaptiveLimit(int ceiling, long now) {
    this.ceiling = Math.max(1, ceiling);
    this.limit = Math.min(INITIAL, this.ceiling);
    this.since = now;
  }

  /** A fixed limit (adaptive concurrency off). */
  static AdaptiveLimit fixed(int ceiling) {
    AdaptiveLimit fixed = new AdaptiveLimit(ceiling, 0);
    fixed.limit = fixed.ceiling;
    fixed.slowStart = false;
    fixed.fixed = true;
    return fixed;
  }

  int get(long now) {
    if (slowStart && limit < ceiling) {
      long steps = Math.min(30, Math.max(0, now - since) / SLOW_START_STEP);
      limit = Math.max(limit, Math.min(ceiling, (double) INITIAL * (1L << steps)));
    }
    return (int) limit;
  }

  /** When the limit next grows with time alone (slow start), or Long.MAX_VALUE when it does not. */
  long growsAt(long now) {
    if (!slowStart || get(now) >= ceiling) {
      return Long.MAX_VALUE;
    }
    return since + (Math.max(0, now - since) / SLOW_START_STEP + 1) * SLOW_START_STEP;
  }

  int ceiling() {
    return ceiling;
  }

  /** An answer the origin served: in slow start grow by one, else by one while half of it is used. */
  void succeeded(int inFlight) {
    if (limit >= ceiling) {
      return;
    }
    if (slowStart || inFlight >= limit / 2) {
      limit = Math.min(ceiling, limit + 1);
    }
  }

  /** The origin pushed back (or failed under load): halve, and leave slow start for good. */
  void overloaded(long now) {
    get(now);
    slowStart = false;
    if (fixed) {
      return; // upstream.adaptive is off: the limit stays the ceiling
    }
    limit = Math.min(ceiling, Math.max(FLOOR, limit * DECREASE));
  }
}
