package dev.fanin.aggregate;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the aggregations in flight in the whole process. Beyond the bound new aggregations are
 * refused at once (load is shed, not queued), so a burst cannot pile up unbounded work.
 */
public final class LoadShedder {
  private final int max;
  private final AtomicInteger inFlight = new AtomicInteger();

  public LoadShedder(int max) {
    this.max = max;
  }

  /** Takes a slot; false when the process is full. */
  public boolean tryEnter() {
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
