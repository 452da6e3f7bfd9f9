package dev.fanin.fetch;

import dev.fanin.config.FaninConfig;
import dev.fanin.metrics.FaninMetrics;
import dev.fanin.policy.UpstreamPolicy;
import io.vertx.core.Vertx;

/**
 * Stacks the fetch decorators. This is the one place that shows the whole pipeline:
 * redirects → SSRF guard → cache → coalescing → retry → circuit breaker → per-aggregation
 * concurrency limit → metering → (lanes) → HTTP.
 *
 * <p>Redirects sit outermost so every hop passes the guard again; the guard sits before retry so a
 * refused source is refused once, and resolves the host once per hop.
 *
 * <p>Retry sits outside the breaker so each attempt is judged by the breaker and an open breaker
 * stops retries at once; the limit sits inside so a source waiting out its backoff does not hold
 * one of its aggregation's slots.
 *
 * <p>A large aggregation's HTTP exchanges are spread over the process's lanes (one per intake event
 * loop); every layer above them stays on the aggregation's own loop.
 */
public final class FetchPipeline {
  private final Vertx vertx;
  private final Fetcher http;
  private final BreakerRegistry breakers;
  private final java.util.function.Supplier<FaninConfig.Retry> retry;
  private final UpstreamPolicy policy;
  private final FaninMetrics metrics;
  private final dev.fanin.cache.ResponseCache cache;
  private final dev.fanin.cache.Coalescer coalescer;
  private final Lanes lanes;

  /**
   * Aggregations of at least this many sources send from every lane; smaller ones stay on their
   * own loop, where a hop to another loop would cost more than it saves.
   */
  public static final int SPREAD_MIN_SOURCES = 16;

  public FetchPipeline(Vertx vertx, Fetcher http, BreakerRegistry breakers,
      java.util.function.Supplier<FaninConfig.Retry> retry,
      UpstreamPolicy policy, FaninMetrics metrics, dev.fanin.cache.ResponseCache cache,
      dev.fanin.cache.Coalescer coalescer, Lanes lanes) {
    this.lanes = lanes;
    this.cache = cache;
    this.coalescer = coalescer;
    this.metrics = metrics;
    this.policy = policy;
    this.vertx = vertx;
    this.http = http;
    this.breakers = breakers;
    this.retry = retry;
  }

  /**
   * A fetcher for one aggregation of {@code sources} sources, allowing at most {@code concurrency}
   * requests in flight.
   */
  public Fetcher forAggregation(int concurrency, int sources) {
    Fetcher sending = http;
    if (sources >= SPREAD_MIN_SOURCES && concurrency > 1) {
      java.util.List<Lanes.Lane> all = lanes.snapshot();
      if (all.size() > 1) {
        sending = new SpreadingFetcher(http, all);
      }
    }
    Fetcher limited = new LimitingFetcher(new MeteredFetcher(sending, metrics), new AsyncSemaphore(concurrency));
    Fetcher guarded = new BreakingFetcher(limited, breakers);
    Fetcher retried = new RetryingFetcher(guarded, vertx, retry);
    Fetcher cached = new dev.fanin.cache.CachingFetcher(coalescer.wrap(retried), cache);
    return new RedirectingFetcher(new GuardingFetcher(cached, vertx, policy), policy::maxRedirects);
  }
}
