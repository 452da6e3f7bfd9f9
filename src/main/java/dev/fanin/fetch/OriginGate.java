package dev.fanin.fetch;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Admission to one upstream origin for the whole process: at most {@code limit} requests in
 * flight, the rest waiting in fanin's own queue (never in Vert.x's pool queue, where the connect
 * timeout would fail them). Waiters are grouped (by aggregation, or by API key) and served
 * round-robin across groups, FIFO within one, so a client with one request waits for about one
 * request's time however many another client has queued. Used from every event loop: all state
 * is guarded by this object's monitor, and a waiter is woken on its own event loop.
 */
final class OriginGate {
  /** One request waiting for its turn, on the event loop it waits on. */
  static final class Waiter {
    final Promise<Void> turn = Promise.promise();
    final Context context;
    final Object group;

    Waiter(Context context, Object group) {
      this.context = context;
      this.group = group;
    }
  }

  private final String origin;
  private final OriginGates all;
  private final LinkedHashMap<Object, ArrayDeque<Waiter>> queues = new LinkedHashMap<>();
  private int inFlight;
  private int waiting;
  private long lastUsedNanos = System.nanoTime();
  private boolean retired;

  OriginGate(String origin, OriginGates all) {
    this.origin = origin;
    this.all = all;
  }

  String origin() {
    return origin;
  }

  /** Returned by {@link #enterOrQueue} when this gate was dropped as idle: look the origin up again. */
  static final Waiter RETIRED = new Waiter(null, null);
  /** Returned by {@link #enterOrQueue} when client.maxWaitQueue requests wait already. */
  static final Waiter FULL = new Waiter(null, null);

  /**
   * Enters at once (returns null) when fewer than {@code limit} are in flight and none wait; else
   * queues and returns the waiter; {@link #FULL} when the process's waiting line is full, and
   * {@link #RETIRED} when this gate is no longer in use.
   */
  synchronized Waiter enterOrQueue(int limit, Context context, Object group) {
    if (retired) {
      return RETIRED;
    }
    lastUsedNanos = System.nanoTime();
    if (inFlight < limit && waiting == 0) {
      inFlight++;
      return null;
    }
    if (!all.startWaiting()) {
      return FULL;
    }
    Waiter waiter = new Waiter(context, group);
    queues.computeIfAbsent(group, g -> new ArrayDeque<>()).addLast(waiter);
    waiting++;
    return waiter;
  }

  /** Takes a waiter out of line (it gave up); false when it was already given its turn. */
  synchronized boolean leave(Waiter waiter) {
    ArrayDeque<Waiter> queue = queues.get(waiter.group);
    if (queue == null || !queue.remove(waiter)) {
      return false;
    }
    waiting--;
    all.stopWaiting();
    if (queue.isEmpty()) {
      queues.remove(waiter.group);
    }
    return true;
  }

  /** A request in flight ended: the next waiter (round-robin across groups) gets its turn. */
  void exit(int limit) {
    Waiter next;
    synchronized (this) {
      lastUsedNanos = System.nanoTime();
      inFlight--;
      next = inFlight < limit ? nextWaiter() : null;
      if (next != null) {
        inFlight++;
      }
    }
    if (next != null) {
      Waiter granted = next;
      granted.context.runOnContext(v -> {
        if (!granted.turn.tryComplete()) {
          exit(limit); // it gave up in the meantime: the turn passes on
        }
      });
    }
  }

  private Waiter nextWaiter() {
    Iterator<Map.Entry<Object, ArrayDeque<Waiter>>> groups = queues.entrySet().iterator();
    if (!groups.hasNext()) {
      return null;
    }
    Map.Entry<Object, ArrayDeque<Waiter>> first = groups.next();
    Waiter waiter = first.getValue().pollFirst();
    groups.remove();
    if (!first.getValue().isEmpty()) {
      queues.put(first.getKey(), first.getValue()); // to the back of the round
    }
    waiting--;
    all.stopWaiting();
    return waiter;
  }

  synchronized int inFlight() {
    return inFlight;
  }

  synchronized int waiting() {
    return waiting;
  }

  /** Retires the gate when nothing is in flight or waiting and nothing happened for {@code idleNanos}. */
  synchronized boolean retireIfIdle(long idleNanos, long now) {
    retired = inFlight == 0 && waiting == 0 && now - lastUsedNanos >= idleNanos;
    return retired;
  }
}
