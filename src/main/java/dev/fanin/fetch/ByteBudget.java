package dev.fanin.fetch;

/**
 * Bytes of upstream bodies one aggregation may hold at once. Used from the aggregation's event
 * loop only, so it needs no synchronisation.
 */
public final class ByteBudget {
  private long remaining;

  public ByteBudget(long bytes) {
    this.remaining = bytes;
  }

  /** Takes n bytes; false (taking nothing) when fewer remain. */
  public boolean take(long n) {
    if (n > remaining) {
      return false;
    }
    remaining -= n;
    return true;
  }

  public void giveBack(long n) {
    remaining += n;
  }

  public long remaining() {
    return remaining;
  }
}
