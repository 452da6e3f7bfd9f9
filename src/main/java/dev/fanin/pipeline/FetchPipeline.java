package dev.fanin.pipeline;

import dev.fanin.cache.CachingFetcher;
import dev.fanin.cache.Coalescer;
import dev.fanin.cache.ResponseCache;
import dev.fanin.config.FaninConfig;
import dev.fanin.fetch.AsyncSemaphore;
import dev.fanin.fetch.BreakerRegistry;
import dev.fanin.fetch.BreakingFetcher;
import dev.fanin.fetch.Fetcher;
import dev.fanin.fetch.GuardingFetcher;
import dev.fanin.fetch.Hedges;
import dev.fanin.fetch.HedgingFetcher;
import dev.fanin.fetch.HostResolver;
import dev.fanin.fetch.Lanes;
import dev.fanin.fetch.LimitingFetcher;
import dev.fanin.fetch.MeteredFetcher;
import dev.fanin.fetch.ClientBudgetFetcher;
import dev.fanin.fetch.ClientBudgets;
import dev.fanin.fetch.OriginGateFetcher;
import dev.fanin.fetch.OriginGates;
import dev.fanin.fetch.RedirectingFetcher;
import dev.fanin.fetch.RetryingFetcher;
import dev.fanin.fetch.SpreadingFetcher;
import dev.fanin.metrics.FaninMetrics;
import dev.fanin.policy.UpstreamPolicy;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.Supplier;

/**
 * Stacks the fetch decorators. This is the one place that shows the whole pipeline:
 * redirects → SSRF guard → cache → coalescing → retry → hedging → circuit breaker → per-aggregation
 * concurrency limit → the client's budget → the origin's turn → metering → (lanes) → HTTP.
 *
 * <p>Redirects sit outermost so every hop passes the guard again; the guard sits before retry so a
 * refused source is refused once, and resolves the host once per hop.
 *
 * <p>Retry sits outside the breaker so each attempt is judged by the breaker and an open breaker
 * stops retries at once; the limit sits inside so a source waiting out its backoff does not hold
 * one of its aggregation's slots. The origin's turn comes after the aggregation's own slot: a
 * source waits for the shared origin only while holding what belongs to its own aggregation, and
 * it waits in fanin's queue (fair across clients, bounded by its deadline), never in the
 * connection pool's.
 *
 * <p>Hedging sits inside the retries (a failed race is retried as one attempt) and outside the
 * breaker, the limit and the origin's turn, so that a hedge counts against all three like any
 * attempt.
 *
 * <p>A large aggregation's HTTP exchanges are spread over the process's lanes (one per intake event
 * loop); every layer above them stays on the aggregation's own loop.
 */
public final class FetchPipeline {
  private final Vertx vertx;
  private final Fetcher http;
  private final BreakerRegistry breakers;
  private final Supplier<FaninConfig.Retry> retry;
  private final UpstreamPolicy policy;
  private final FaninMetrics metrics;
  private final ResponseCache cache;
  private final Coalescer coalescer;
  private final Lanes lanes;
  private final OriginGates gates;
  private final ClientBudgets clientBudgets;
  private final HostResolver resolver;
  private final Supplier<List<String>> credentialHeaders;
  private final Hedges hedges;

  /**
   * Aggregations of at least this many sources send from every lane; smaller ones stay on their
   * own loop, where a hop to another loop would cost more than it saves.
   */
  public static final int SPREAD_MIN_SOURCES = 16;

  public FetchPipeline(Vertx vertx, Fetcher http, BreakerRegistry breakers,
      Supplier<FaninConfig.Retry> retry,
      UpstreamPolicy policy, FaninMetrics metrics, ResponseCache cache,
      Coalescer coalescer, Lanes lanes, OriginGates gates, ClientBudgets clientBudgets,
      Supplier<List<String>> credentialHeaders, HostResolver resolver, Hedges hedges) {
    this.hedges = hedges;
    this.clientBudgets = clientBudgets;
    this.resolver = resolver;
    this.gates = gates;
    this.credentialHeaders = credentialHeaders;
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

  /** Whether an aggregation of this size sends from every lane rather than only its own loop. */
  public static boolean spreads(int concurrency, int sources) {
    return sources >= SPREAD_MIN_SOURCES && concurrency > 1;
  }

  /**
   * A fetcher for one aggregation of {@code sources} sources, allowing at most {@code concurrency}
   * requests in flight.
   */
  public Fetcher forAggregation(int concurrency, int sources) {
    Fetcher sending = http;
    if (spreads(concurrency, sources)) {
      List<Lanes.Lane> all = lanes.snapshot();
      if (all.size() > 1) {
        sending = new SpreadingFetcher(http, all);
      }
    }
    Fetcher admitted = new ClientBudgetFetcher(new OriginGateFetcher(new MeteredFetcher(sending, metrics), gates, vertx),
        clientBudgets, vertx);
    Fetcher limited = new LimitingFetcher(admitted, new AsyncSemaphore(concurrency));
    Fetcher guarded = new BreakingFetcher(limited, breakers);
    Fetcher hedged = new HedgingFetcher(guarded, hedges, vertx);
    Fetcher retried = new RetryingFetcher(hedged, vertx, retry);
    Fetcher cached = new CachingFetcher(coalescer.wrap(retried), cache);
    return new RedirectingFetcher(new GuardingFetcher(cached, resolver, policy), policy::maxRedirects,
        credentialHeaders);
  }
}
