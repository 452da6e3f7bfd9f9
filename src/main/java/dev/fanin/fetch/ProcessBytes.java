package dev.fanin.fetch;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes every aggregation of the process may hold together (aggregate.maxProcessBytes): upstream
 * bodies as they arrive, decoded data and parsed feed items, and answers waiting to be written.
 * Each aggregation's {@link ByteBudget} draws from it; when it runs low, new aggregations are shed.
 */
public final class ProcessBytes {
  /** Below this share of the whole (1/20), new aggregations are refused. */
  static final int SHED_BELOW_DIVISOR = 20;
  private final long max;
  private final AtomicLong remaining;

  public ProcessBytes(long max) {
    this.max = max;
    this.remaining = new AtomicLong(max);
  }

  /** The size from config: an explicit byte count, or 0 for 35 % of the heap. */
  public static long size(long configured, long maxHeap) {
    return configured > 0 ? configured : Math.max(8L << 20, maxHeap / 100 * 35);
  }

  boolean take(long n) {
    while (true) {
      long now = remaining.get();
      if (n > now) {
        return false;
      }
      if (remaining.compareAndSet(now, now - n)) {
        return true;
      }
    }
  }

  /** Counts bytes that are already allocated (an encoded answer): may go below zero. */
  void force(long n) {
    remaining.addAndGet(-n);
  }

  void giveBack(long n) {
    remaining.addAndGet(n);
  }

  /** Whether so little is left that a new aggregation should be refused. */
  public boolean low() {
    return remaining.get() < max / SHED_BELOW_DIVISOR;
  }

  public long max() {
    return max;
  }

  /** Bytes held by aggregations now. */
  public long held() {
    return max - remaining.get();
  }
}
