package dev.fanin.fetch;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of upstream bodies one aggregation may hold at once. Its requests may be received on
 * several event loops (see {@link SpreadingFetcher}), so it is atomic.
 */
public final class ByteBudget {
  private final AtomicLong remaining;

  public ByteBudget(long bytes) {
    this.remaining = new AtomicLong(bytes);
  }

  /** Takes n bytes; false (taking nothing) when fewer remain. */
  public boolean take(long n) {
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

  public void giveBack(long n) {
    remaining.addAndGet(n);
  }

  public long remaining() {
    return remaining.get();
  }
}
