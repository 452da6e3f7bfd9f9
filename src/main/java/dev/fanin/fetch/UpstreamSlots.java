package dev.fanin.fetch;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bulkhead over every upstream of the process: requests in flight are bounded by
 * client.maxConnections, and beyond it a request is refused at once (rejected), not queued.
 */
public final class UpstreamSlots {
  private final AtomicInteger inFlight = new AtomicInteger();

  /** Takes a slot; false when {@code max} requests are already in flight. */
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
