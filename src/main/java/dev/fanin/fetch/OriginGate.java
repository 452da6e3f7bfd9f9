package dev.fanin.fetch;

import dev.fanin.config.FaninConfig;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Admission to one upstream origin for the whole process. A request starts when fewer requests are
 * in flight than the origin's limit and its pacing allows one now ({@link OriginPacing}: the
 * operator's rate, a pause until a Retry-After, a learned rate); otherwise it waits in fanin's own
 * queue (never in Vert.x's pool queue, where the connect timeout would fail it). Waiters are grouped
 * (by aggregation, or by API key) and served round-robin across groups, FIFO within one, so a client
 * with one request waits for about one request's time however many another has queued. A request
 * whose wait would outlast its deadline is refused at once. Used from every event loop: state is
 * guarded by this object's monitor, and a waiter is woken on its own event loop.
 */
final class OriginGate {
  /** One request waiting for its turn, on the event loop it waits on. */
  static class Waiter {
    final Promise<Void> turn = Promise.promise();
    final Context context;
    final Object group;
    final long deadline;
    /** When the gate gave it its turn (its start, for the pacing: not when its loop got round to it). */
    volatile long admittedAt;

    Waiter(Context context, Object group, long deadline) {
      this.context = context;
      this.group = group;
      this.deadline = deadline;
    }
  }

  /** The answer to a request whose wait would outlast its deadline: when the origin would allow it. */
  static final class TooLate extends Waiter {
    final long allowedAt;

    TooLate(long allowedAt) {
      super(null, null, 0);
      this.allowedAt = allowedAt;
    }
  }

  /** Returned by {@link #enterOrQueue} when this gate was dropped as idle: look the origin up again. */
  static final Waiter RETIRED = new Waiter(null, null, 0);
  /** Returned by {@link #enterOrQueue} when client.maxWaitQueue requests wait already. */
  static final Waiter FULL = new Waiter(null, null, 0);

  private final String origin;
  private final OriginGates all;
  private final LinkedHashMap<Object, ArrayDeque<Waiter>> queues = new LinkedHashMap<>();
  private OriginPacing pacing;
  private Object rulesSeen;
  private int inFlight;
  private int waiting;
  private long lastUsedNanos = System.nanoTime();
  private long pumpAt = Long.MAX_VALUE;
  private boolean retired;

  OriginGate(String origin, OriginGates all) {
    this.origin = origin;
    this.all = all;
  }

  String origin() {
    return origin;
  }

  /** The operator's rule for this origin now, or null. */
  synchronized FaninConfig.OriginRule rule() {
    return pacing(System.nanoTime()).rule();
  }

  /**
   * Enters at once (returns null), or queues and returns the waiter; {@link TooLate} when the wait
   * would outlast the deadline, {@link #FULL} when the process's waiting line is full, and
   * {@link #RETIRED} when this gate is no longer in use.
   */
  synchronized Waiter enterOrQueue(Context context, Object group, long deadline, long now) {
    if (retired) {
      return RETIRED;
    }
    lastUsedNanos = now;
    OriginPacing p = pacing(now);
    long start = p.earliestStart(now);
    if (waiting == 0 && inFlight < p.limit(now) && start <= now) {
      p.start(now);
      inFlight++;
      return null;
    }
    long at = start;
    double rate = p.rate();
    if (rate > 0) { // the requests ahead in line go first, at the pace's rate
      ArrayDeque<Waiter> mine = queues.get(group);
      long ahead = Math.min(waiting, (long) (mine == null ? 0 : mine.size()) * Math.max(1, queues.size()));
      at += (long) (ahead / rate * 1e9);
    }
    if (at > deadline) {
      return new TooLate(at);
    }
    if (!all.startWaiting()) {
      return FULL;
    }
    Waiter waiter = new Waiter(context, group, deadline);
    queues.computeIfAbsent(group, g -> new ArrayDeque<>()).addLast(waiter);
    waiting++;
    if (inFlight >= p.limit(now)) {
      schedulePump(p.limitGrowsAt(now), now); // besides the pump the next exit makes
    } else {
      schedulePump(Math.max(start, now + 1), now);
    }
    return waiter;
  }

  /** The pacing of this origin under the rules in force now (rebuilt when the rules change). */
  private OriginPacing pacing(long now) {
    Object rules = all.rulesIdentity();
    if (pacing == null || rules != rulesSeen) {
      rulesSeen = rules;
      pacing = new OriginPacing(all.ruleFor(origin), all.perOrigin(), all.adaptive(), now);
    }
    return pacing;
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

  /** A request in flight ended: the next waiters (round-robin across groups) get their turn. */
  void exit() {
    synchronized (this) {
      inFlight--;
      lastUsedNanos = System.nanoTime();
    }
    pump();
  }

  /** Gives turns to waiters while the limit and the pacing allow, and wakes them on their loops. */
  void pump() {
    List<Waiter> granted = new ArrayList<>(2);
    synchronized (this) {
      long now = System.nanoTime();
      pumpAt = Long.MAX_VALUE;
      OriginPacing p = pacing(now);
      while (waiting > 0 && inFlight < p.limit(now)) {
        long at = p.earliestStart(now);
        if (at > now) {
          schedulePump(at, now);
          break;
        }
        p.start(now);
        inFlight++;
        Waiter next = nextWaiter();
        next.admittedAt = now;
        granted.add(next);
      }
      if (waiting > 0 && inFlight >= p.limit(now)) {
        schedulePump(p.limitGrowsAt(now), now);
      }
    }
    for (Waiter waiter : granted) {
      waiter.context.runOnContext(v -> {
        if (!waiter.turn.tryComplete()) {
          exit(); // it gave up in the meantime: the turn passes on
        }
      });
    }
  }

  /** Asks for a pump at {@code at} unless one comes sooner. Called under the monitor. */
  private void schedulePump(long at, long now) {
    if (at == Long.MAX_VALUE || at >= pumpAt) {
      return;
    }
    pumpAt = at;
    all.timer(Math.max(1, (at - now + 999_999) / 1_000_000), this::pump);
  }

  private Waiter nextWaiter() {
    Iterator<Map.Entry<Object, ArrayDeque<Waiter>>> groups = queues.entrySet().iterator();
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

  /**
   * What the origin's answer to a request sent at {@code sentAt} says of it, for its pacing: an
   * accepted answer, a throttle (429, a 503 with Retry-After, a soft limit) or an overload (a 503
   * without it, a connect error, a timeout). A pause that outlasts the deadlines of waiters ends
   * them at once, as rate_limited.
   */
  void record(Outcome outcome, long sentAt, long retryAfterMs, RateLimitHeaders said) {
    List<Waiter> tooLate = new ArrayList<>();
    boolean news = false;
    int cutTo = -1;
    long pausedUntil;
    synchronized (this) {
      long now = System.nanoTime();
      OriginPacing p = pacing(now);
      switch (outcome) {
        case ACCEPTED -> p.accepted(now, sentAt, inFlight, said);
        case THROTTLED -> news = p.throttled(now, sentAt, retryAfterMs, said);
        case OVERLOADED -> cutTo = p.overloaded(now, sentAt) ? p.limit(now) : -1;
        default -> { }
      }
      pausedUntil = p.pausedUntil();
      if (pausedUntil > now) {
        for (ArrayDeque<Waiter> queue : queues.values()) {
          for (Waiter w : queue) {
            if (w.deadline < pausedUntil) {
              tooLate.add(w);
            }
          }
        }
        tooLate.forEach(this::leave);
      }
    }
    for (Waiter w : tooLate) {
      w.context.runOnContext(v -> w.turn.tryFail(all.rateLimited(origin, pausedUntil,
          "the origin asked fanin to wait (Retry-After or RateLimit)")));
    }
    if (news) {
      all.warnThrottled(origin, pausedUntil);
    }
    if (cutTo >= 0) {
      all.warnCut(origin, cutTo);
    }
    pump();
  }

  /** Whether fanin paces this origin now (a rule's rate, a learned rate or a pause): waits are its doing. */
  synchronized boolean paced(long now) {
    OriginPacing p = pacing(now);
    return p.rate() > 0 || p.pausedUntil() > now;
  }

  /** What an answer tells of the origin's capacity. */
  enum Outcome { ACCEPTED, THROTTLED, OVERLOADED, NEUTRAL }

  /** Retires the gate when nothing is in flight or waiting and nothing happened for {@code idleNanos}. */
  synchronized boolean retireIfIdle(long idleNanos, long now) {
    retired = inFlight == 0 && waiting == 0 && now - lastUsedNanos >= idleNanos;
    return retired;
  }

  /** What /v1/origins shows of this origin now. */
  synchronized OriginSnapshot snapshot(long now) {
    OriginPacing p = pacing(now);
    return new OriginSnapshot(origin, p.rule(), p.limit(now), inFlight, waiting, p.tokens(now),
        p.pausedUntil() > now ? (p.pausedUntil() - now) / 1_000_000 : 0, p.throttles(), p.learnedRate());
  }

  synchronized long lastUsed() {
    return lastUsedNanos;
  }

  synchronized int inFlight() {
    return inFlight;
  }

  synchronized int waiting() {
    return waiting;
  }
}
