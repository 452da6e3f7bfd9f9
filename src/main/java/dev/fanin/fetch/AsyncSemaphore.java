package dev.fanin.fetch;

import io.vertx.core.Promise;
import java.util.ArrayDeque;

/**
 * A counting semaphore whose waiters are futures, served in arrival order; the job
 * asyncio.Semaphore does. Confined to one event loop, so it needs no locks.
 */
public final class AsyncSemaphore {
  private final ArrayDeque<Promise<Void>> waiters = new ArrayDeque<>();
  private int available;

  public AsyncSemaphore(int permits) {
    this.available = permits;
  }

  /**
   * Takes a permit at once and returns null, or returns a waiter that completes on its turn. A
   * caller that fails its waiter gives the turn away to the next one in line.
   */
  public Promise<Void> acquireOrWait() {
    if (available > 0 && waiters.isEmpty()) {
      available--;
      return null;
    }
    Promise<Void> waiter = Promise.promise();
    waiters.add(waiter);
    return waiter;
  }

  public void release() {
    Promise<Void> next;
    while ((next = waiters.poll()) != null) {
      if (next.tryComplete()) {
        return;
      }
    }
    available++;
  }

  public int available() {
    return available;
  }

  public int waiting() {
    return waiters.size();
  }
}
