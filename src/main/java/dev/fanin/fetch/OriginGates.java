package dev.fanin.fetch;

import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import io.vertx.core.Context;

/**
 * The process's {@link OriginGate}s, one per origin in use. Gates with nothing in flight or waiting
 * are forgotten after {@link #IDLE_MS}, so a stream of distinct origins leaves no state behind.
 * The number of requests waiting across all origins is bounded by client.maxWaitQueue.
 */
public final class OriginGates {
  /** An origin's gate is dropped this long after its last request ended. */
  public static final long IDLE_MS = 60_000;
  private final Map<String, OriginGate> gates = new ConcurrentHashMap<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private final IntSupplier perOrigin;
  private final IntSupplier maxWaiting;

  /**
   * @param perOrigin requests in flight per origin (client.maxConnectionsPerOrigin)
   * @param maxWaiting requests waiting for any origin (client.maxWaitQueue)
   */
  public OriginGates(Vertx vertx, IntSupplier perOrigin, IntSupplier maxWaiting) {
    this.perOrigin = perOrigin;
    this.maxWaiting = maxWaiting;
    vertx.setPeriodic(IDLE_MS / 4, t -> sweep(System.nanoTime()));
  }

  /** Enters the origin's gate now (null) or returns the waiter queued there. */
  OriginGate.Waiter enterOrQueue(String origin, Context context, Object group) {
    while (true) {
      OriginGate.Waiter waiter = gates.computeIfAbsent(origin, o -> new OriginGate(o, this))
          .enterOrQueue(perOrigin.getAsInt(), context, group);
      if (waiter != OriginGate.RETIRED) {
        return waiter;
      }
    }
  }

  OriginGate gate(String origin) {
    return gates.get(origin);
  }

  int limit() {
    return perOrigin.getAsInt();
  }

  /** Counts a waiter in; false when client.maxWaitQueue are waiting already. */
  boolean startWaiting() {
    while (true) {
      int now = waiting.get();
      if (now >= maxWaiting.getAsInt()) {
        return false;
      }
      if (waiting.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  void stopWaiting() {
    waiting.decrementAndGet();
  }

  void sweep(long now) {
    long idle = TimeUnit.MILLISECONDS.toNanos(IDLE_MS);
    gates.values().removeIf(gate -> gate.retireIfIdle(idle, now));
  }

  /** Origins with a gate now. */
  public int size() {
    return gates.size();
  }

  /** Requests waiting for an origin now, in the whole process. */
  public int waiting() {
    return waiting.get();
  }
}
