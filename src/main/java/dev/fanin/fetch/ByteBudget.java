package dev.fanin.fetch;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of upstream bodies, decoded data and pending output one aggregation may hold at once
 * (aggregate.maxAggregateBytes), drawn from the process's {@link ProcessBytes}. Its requests may be
 * received on several event loops (see {@link SpreadingFetcher}), so it is atomic. Whatever it
 * still holds goes back to the process when the aggregation is {@link #close closed}.
 */
public final class ByteBudget {
  private final long max;
  private final AtomicLong remaining;
  private final ProcessBytes process;
  private volatile boolean processRefused;

  /** A budget of its own, outside any process budget (tests, tools). */
  public ByteBudget(long bytes) {
    this(bytes, new ProcessBytes(Long.MAX_VALUE / 4));
  }

  public ByteBudget(long bytes, ProcessBytes process) {
    this.max = bytes;
    this.remaining = new AtomicLong(bytes);
    this.process = process;
  }

  /** Takes n bytes; false (taking nothing) when fewer remain here or in the process. */
  public boolean take(long n) {
    while (true) {
      long now = remaining.get();
      if (n > now) {
        return false;
      }
      if (remaining.compareAndSet(now, now - n)) {
        break;
      }
    }
    if (!process.take(n)) {
      remaining.addAndGet(n);
      processRefused = true;
      return false;
    }
    return true;
  }

  /** Counts bytes already allocated that cannot be refused any more (an encoded answer). */
  public void force(long n) {
    remaining.addAndGet(-n);
    process.force(n);
  }

  /** Gives back up to n bytes (never more than this budget holds). */
  public void giveBack(long n) {
    while (true) {
      long now = remaining.get();
      long back = Math.min(n, max - now);
      if (back <= 0) {
        return;
      }
      if (remaining.compareAndSet(now, now + back)) {
        process.giveBack(back);
        return;
      }
    }
  }

  /** Gives everything still held back to the process (the aggregation's answer has left). */
  public void close() {
    giveBack(Long.MAX_VALUE);
  }

  public long remaining() {
    return remaining.get();
  }

  /** Why a take was refused, in the words of the source's error message. */
  public String refusal() {
    if (processRefused) {
      return "fanin's memory for answers in flight is used up (aggregate.maxProcessBytes); try again shortly";
    }
    return "the aggregation's byte budget of " + max + " bytes is used up (aggregate.maxAggregateBytes)";
  }
}
