package dev.fanin.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.function.Supplier;

/**
 * fanin's own meters, in the Prometheus registry that Vert.x's metrics use too. Labels are origins
 * and error kinds, never URLs, and the number of origins labelled is capped.
 */
public final class FaninMetrics {
  static final Duration[] LATENCY_BUCKETS = {
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};
  private final PrometheusMeterRegistry registry;
  private final Counter shed;
  // the meters counted on every source and aggregation, kept (labels: origins are capped by the filter
  // below, outcomes, cache outcomes and client labels are few; each memo is bounded anyway)
  private final MeterMemo<Timer> upstream;
  private final MeterMemo<Counter> sources = new MeterMemo<>(256);
  private final MeterMemo<Counter> cache = new MeterMemo<>(64);
  private final MeterMemo<Counter> admitted = new MeterMemo<>(1024);
  private final MeterMemo<Timer> aggregations = new MeterMemo<>(4);

  public FaninMetrics(PrometheusMeterRegistry registry, int maxOrigins) {
    this(registry, maxOrigins, true);
  }

  private FaninMetrics(PrometheusMeterRegistry registry, int maxOrigins, boolean jvm) {
    this.registry = registry;
    this.upstream = new MeterMemo<>(maxOrigins + 1);
    for (String prefix : new String[] {"fanin.upstream", "fanin.breaker"}) {
      registry.config().meterFilter(MeterFilter.maximumAllowableTags(prefix, "origin", maxOrigins, MeterFilter.deny()));
    }
    // Vert.x would keep one series per upstream host:port for its HTTP connection pools, forever: a
    // stream of distinct origins fills the heap. fanin's own per-origin meters are capped instead.
    registry.config().meterFilter(MeterFilter.deny(id -> id.getName().startsWith("vertx.pool")
        && "http".equals(id.getTag("pool_type"))));
    if (jvm) {
      new JvmMemoryMetrics().bindTo(registry);
      new JvmGcMetrics().bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ClassLoaderMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      new UptimeMetrics().bindTo(registry);
    }
    this.shed = Counter.builder("fanin.requests.shed").description("aggregations refused because the process was full").register(registry);
  }

  /** Bytes held by aggregations in flight against the process's budget. */
  public void memory(Supplier<Number> held, long max) {
    Gauge.builder("fanin.memory.held", held).baseUnit("bytes")
        .description("bytes held by aggregations in flight (aggregate.maxProcessBytes)").register(registry);
    Gauge.builder("fanin.memory.max", () -> max).baseUnit("bytes")
        .description("the process's byte budget for aggregations (aggregate.maxProcessBytes)").register(registry);
  }

  /** Requests waiting for an origin's turn, and origins with queue state. */
  public void originQueues(Supplier<Number> waiting, Supplier<Number> origins) {
    Gauge.builder("fanin.upstream.waiting", waiting)
        .description("upstream requests waiting for their origin's turn").register(registry);
    Gauge.builder("fanin.upstream.origins", origins)
        .description("origins with requests in flight or used in the last 10 minutes").register(registry);
  }

  /**
   * fanin's own meters without the JVM's (memory, GC, threads, class loading, processor, uptime):
   * for a batch run, which nothing scrapes and whose start-up the JVM binders slow down.
   */
  public static FaninMetrics withoutJvm(int maxOrigins) {
    return new FaninMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), maxOrigins, false);
  }

  /** A registry of its own, for embedding and tests; Main shares one with Vert.x. */
  public static FaninMetrics standalone() {
    return new FaninMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 200);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** One upstream attempt: outcome is the status class (2xx…5xx) or the error kind. */
  public void upstream(String origin, String outcome, long nanos) {
    upstream.get(origin, outcome, (o, out) -> Timer.builder("fanin.upstream.latency")
        .description("upstream attempts by origin and outcome").tag("origin", o).tag("outcome", out)
        .serviceLevelObjectives(LATENCY_BUCKETS).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A source's final outcome: ok or its error kind. */
  public void source(String outcome) {
    sources.get(outcome, (o, none) -> registry.counter("fanin.sources", "outcome", o)).increment();
  }

  /** What the response cache did for a source: miss, hit, revalidated, stale, coalesced. */
  public void cache(String outcome) {
    cache.get(outcome, (o, none) -> registry.counter("fanin.cache", "outcome", o)).increment();
  }

  /** A hedged source's second request: sent, won (it answered first) or not sent for want of budget. */
  public void hedge(String outcome) {
    registry.counter("fanin.upstream.hedges", "outcome", outcome).increment();
  }

  public void retries(int count) {
    if (count > 0) {
      registry.counter("fanin.upstream.retries").increment(count);
    }
  }

  /** An answer that throttled fanin: a 429, a 503 with Retry-After, a soft limit. */
  public void throttled(String origin) {
    registry.counter("fanin.upstream.throttled", "origin", origin).increment();
  }

  /**
   * A request the origin's pace kept from being sent (reason: pace, client, budget), or a soft
   * limit that ended a source (reason: soft).
   */
  public void rateLimited(String origin, String reason) {
    registry.counter("fanin.upstream.rate_limited", "origin", origin, "reason", reason).increment();
  }

  /**
   * One origin's pace as gauges: its limit on requests in flight, how long it stays paused, and the
   * rate fanin learned for it (0 when none). Removed with {@link #remove} when the origin is forgotten.
   */
  public List<Meter> originPace(String origin, Supplier<Number> limit, Supplier<Number> pausedSeconds,
      Supplier<Number> learnedRate) {
    return List.of(
        Gauge.builder("fanin.upstream.concurrency.limit", limit).description("requests in flight the origin allows now")
            .tag("origin", origin).strongReference(true).register(registry),
        Gauge.builder("fanin.upstream.paused.seconds", pausedSeconds).description("how long the origin stays paused")
            .tag("origin", origin).strongReference(true).register(registry),
        Gauge.builder("fanin.upstream.learned.rate", learnedRate)
            .description("requests a second fanin learned to send the origin, 0 when it paces by rule only")
            .tag("origin", origin).strongReference(true).register(registry));
  }

  /** An upstream request a client's budget let go (label: the key's id, or anonymous, bus, scheduled). */
  public void clientAdmitted(String client) {
    admitted.get(client, (c, none) -> registry.counter("fanin.client.upstream.admitted", "client", c)).increment();
  }

  /** A client's request an upstream answered with 429. */
  public void clientThrottled(String client) {
    registry.counter("fanin.client.upstream.throttled", "client", client).increment();
  }

  /** A client's request its budget ended rate_limited (reason: rate, inFlight). */
  public void clientRefused(String client, String reason) {
    registry.counter("fanin.client.upstream.refused", "client", client, "reason", reason).increment();
  }

  public void breakerTransition(String origin, String state) {
    registry.counter("fanin.breaker.transitions", "origin", origin, "to", state).increment();
  }

  /** The breaker's state as 0 closed, 1 half-open, 2 open. */
  public Meter breakerState(String origin, Supplier<Number> state) {
    return Gauge.builder("fanin.breaker.state", state).description("0 closed, 1 half-open, 2 open")
        .tag("origin", origin).strongReference(true).register(registry);
  }

  public void remove(Meter meter) {
    if (meter != null) {
      registry.remove(meter);
    }
  }

  public void aggregationsInFlight(Supplier<Number> inFlight) {
    Gauge.builder("fanin.aggregations.inflight", inFlight).strongReference(true).register(registry);
  }

  public void shed() {
    shed.increment();
  }

  public void aggregation(long durationMs, boolean complete) {
    aggregations.get(complete ? "true" : "false", (c, none) -> Timer.builder("fanin.aggregation.duration")
        .tag("complete", c).serviceLevelObjectives(LATENCY_BUCKETS).register(registry))
        .record(durationMs, TimeUnit.MILLISECONDS);
  }
}
