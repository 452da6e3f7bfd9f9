package dev.fanin.fetch;

import dev.fanin.config.FaninConfig;
import dev.fanin.metrics.FaninMetrics;
import io.micrometer.core.instrument.Meter;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's {@link OriginGate}s, one per origin in use, and what they share: the operator's
 * rules (upstream.origins, upstream.adaptive, replaced live), the bound on requests waiting across
 * all origins (client.maxWaitQueue), timers, and the WARN line when an origin throttles. A gate
 * with nothing in flight or waiting is forgotten {@link #IDLE_MS} after its last use, and at most
 * {@link #MAX_IDLE_GATES} idle ones are kept, so a stream of distinct origins leaves no state behind.
 */
public final class OriginGates {
  private static final Logger LOG = LoggerFactory.getLogger(OriginGates.class);
  /** An origin's gate (and what fanin learned of it) is dropped this long after its last use. */
  public static final long IDLE_MS = 10 * 60_000;
  /** Idle gates kept at most; beyond it the longest idle go first. */
  public static final int MAX_IDLE_GATES = 10_000;
  /** An origin is warned of at most once in this long. */
  static final long WARN_EVERY_MS = 60_000;

  /** The rules in force; a new object only when they change, so gates rebuild their pacing only then. */
  private record Rules(List<FaninConfig.OriginRule> origins, boolean adaptive) {}

  private final Vertx vertx;
  private final Map<String, OriginGate> gates = new ConcurrentHashMap<>();
  private final Map<String, Long> warned = new ConcurrentHashMap<>();
  private final Map<OriginGate, List<Meter>> gauges = new ConcurrentHashMap<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private final IntSupplier perOrigin;
  private final IntSupplier maxWaiting;
  private final IntSupplier minTimeoutMs;
  private final FaninMetrics metrics;
  private final DailyBudgets budgets;
  private volatile Rules rules;

  /**
   * @param perOrigin requests in flight per origin at most (client.maxConnectionsPerOrigin)
   * @param maxWaiting requests waiting for any origin (client.maxWaitQueue)
   * @param budgets the rules' daily budgets
   * @param minTimeoutMs timeouts shorter than this (breaker.minTimeoutMs) say nothing of an origin's load
   */
  public OriginGates(Vertx vertx, IntSupplier perOrigin, IntSupplier maxWaiting, FaninConfig.Upstream upstream,
      IntSupplier minTimeoutMs, FaninMetrics metrics, DailyBudgets budgets) {
    this.vertx = vertx;
    this.budgets = budgets;
    this.minTimeoutMs = minTimeoutMs;
    this.metrics = metrics;
    this.perOrigin = perOrigin;
    this.maxWaiting = maxWaiting;
    this.rules = new Rules(upstream.origins(), upstream.adaptive());
    vertx.setPeriodic(60_000, t -> sweep(System.nanoTime()));
  }

  /** Applies changed rules (upstream.origins, upstream.adaptive): each origin starts over under them. */
  public void configure(FaninConfig.Upstream upstream) {
    Rules next = new Rules(upstream.origins(), upstream.adaptive());
    if (!next.equals(rules)) {
      rules = next;
    }
  }

  /** The origin's gate, made (with its gauges) when it has none. */
  OriginGate gate(String origin) {
    OriginGate gate = gates.get(origin);
    return gate != null ? gate : gates.computeIfAbsent(origin, o -> {
      OriginGate made = new OriginGate(o, this);
      gauges.put(made, metrics.originPace(o, () -> made.snapshot(System.nanoTime()).limit(),
          () -> made.snapshot(System.nanoTime()).pausedForMs() / 1000.0,
          () -> made.snapshot(System.nanoTime()).learnedRate()));
      return made;
    });
  }

  private void forget(OriginGate gate) {
    List<Meter> meters = gauges.remove(gate);
    if (meters != null) {
      meters.forEach(metrics::remove);
    }
  }

  /** The origin's gate when it has one, else null. */
  OriginGate existing(String origin) {
    return gates.get(origin);
  }

  Object rulesIdentity() {
    return rules;
  }

  /** The first rule that matches the origin (scheme://host:port), or null. */
  FaninConfig.OriginRule ruleFor(String origin) {
    URI uri = URI.create(origin);
    return FaninConfig.OriginRule.first(rules.origins(), uri.getHost(), uri.getPort());
  }

  int perOrigin() {
    return perOrigin.getAsInt();
  }

  boolean adaptive() {
    return rules.adaptive();
  }

  public DailyBudgets budgets() {
    return budgets;
  }

  int minTimeoutMs() {
    return minTimeoutMs.getAsInt();
  }

  /** Counts a request that the origin's pace kept from being sent, and why. */
  void counted(String origin, String reason) {
    metrics.rateLimited(origin, reason);
  }

  /** Counts a throttling answer (429, 503 with Retry-After, a soft limit). */
  void throttledAnswer(String origin) {
    metrics.throttled(origin);
  }

  void timer(long ms, Runnable action) {
    vertx.setTimer(ms, t -> action.run());
  }

  /** The failure of a request the origin's pace does not allow before its deadline. */
  FetchException rateLimited(String origin, long allowedAtNanos, String why) {
    long inMs = Math.max(0, (allowedAtNanos - System.nanoTime()) / 1_000_000);
    return FetchException.rateLimited(why + ": " + origin + " would allow it in " + inMs + " ms (at "
        + Instant.now().plusMillis(inMs) + "), after the source's deadline; it was not sent", 0);
  }

  /** One WARN line per origin per minute when an origin throttles fanin. */
  void warnThrottled(String origin, long pausedUntilNanos) {
    if (!mayWarn(origin)) {
      return;
    }
    long pausedMs = Math.max(0, (pausedUntilNanos - System.nanoTime()) / 1_000_000);
    LOG.warn("upstream {} throttled fanin; it is paused for {} ms and paced from now on (see GET /v1/origins)",
        origin, pausedMs);
  }

  /** One WARN line per origin per minute when an origin fails under load and its limit is cut. */
  void warnCut(String origin, int limit) {
    if (mayWarn(origin)) {
      LOG.warn("upstream {} failed under load (503, connect errors or timeouts); requests in flight there are cut"
          + " to {} (see GET /v1/origins)", origin, limit);
    }
  }

  private boolean mayWarn(String origin) {
    long now = System.currentTimeMillis();
    Long last = warned.get(origin);
    if (last != null && now - last < WARN_EVERY_MS) {
      return false;
    }
    warned.put(origin, now);
    return true;
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

  /** Drops gates idle for {@link #IDLE_MS}, and the longest idle beyond {@link #MAX_IDLE_GATES}. */
  void sweep(long now) {
    long idle = TimeUnit.MILLISECONDS.toNanos(IDLE_MS);
    gates.values().removeIf(gate -> {
      boolean retired = gate.retireIfIdle(idle, now);
      if (retired) {
        forget(gate);
      }
      return retired;
    });
    if (gates.size() > MAX_IDLE_GATES) {
      List<OriginGate> oldest = new ArrayList<>(gates.values());
      oldest.sort(Comparator.comparingLong(OriginGate::lastUsed));
      for (OriginGate gate : oldest.subList(0, gates.size() - MAX_IDLE_GATES)) {
        if (gate.retireIfIdle(0, now)) {
          gates.remove(gate.origin(), gate);
          forget(gate);
        }
      }
    }
    warned.values().removeIf(at -> System.currentTimeMillis() - at > WARN_EVERY_MS);
  }

  /** What /v1/origins shows: each origin with a gate, busiest first, at most {@code max}. */
  public List<OriginSnapshot> snapshot(int max) {
    long now = System.nanoTime();
    List<OriginSnapshot> all = new ArrayList<>();
    for (OriginGate gate : gates.values()) {
      all.add(gate.snapshot(now));
    }
    all.sort(Comparator.comparingInt((OriginSnapshot s) -> s.inFlight() + s.waiting()).reversed()
        .thenComparing(OriginSnapshot::origin));
    return all.size() > max ? List.copyOf(all.subList(0, max)) : all;
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
