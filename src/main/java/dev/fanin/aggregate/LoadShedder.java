package dev.fanin.aggregate;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the aggregations in flight in the whole process. Beyond the bound new aggregations are
 * refused at once (load is shed, not queued), so a burst cannot pile up unbounded work.
 */
public final class LoadShedder {
  private final AtomicInteger inFlight = new AtomicInteger();

  /** Takes a slot; false when {@code max} aggregations already run (max comes from live config). */
  public boolean tryEnter(int max) {
    while (true) {
      int now = inFlight.get();
      if (now >= max) {
        return false;
      }
      if (inFlight.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  public void exit() {
    inFlight.decrementAndGet();
  }

  public int inFlight() {
    return inFlight.get();
  }
}
