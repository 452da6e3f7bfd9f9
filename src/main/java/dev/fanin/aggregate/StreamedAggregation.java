package dev.fanin.aggregate;

import dev.fanin.definition.RateSpec;
import dev.fanin.definition.SourceSpec;
import dev.fanin.fetch.ByteBudget;
import dev.fanin.fetch.ClientPace;
import dev.fanin.fetch.ErrorKind;
import dev.fanin.fetch.FetchContext;
import dev.fanin.fetch.FetchException;
import dev.fanin.fetch.FetchRequest;
import dev.fanin.fetch.FetchResponse;
import dev.fanin.fetch.Fetcher;
import dev.fanin.metrics.FaninMetrics;
import dev.fanin.tracing.TraceSpan;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * An aggregation whose sources arrive as a stream (a batch run over a list of URLs, however long):
 * sources are pulled from a {@link SourceFeed} as earlier ones complete, at most twice the
 * concurrency of them admitted at once (the pipeline's own limit keeps requests in flight at the
 * concurrency, so a source waiting out a retry's backoff still gives its slot away), each result
 * handed to the listener as it completes and nothing kept of it here. One pace and one byte budget
 * for the whole run; a result's startMs counts from the run's start. Confined to its event loop.
 *
 * <p>At the deadline (when there is one) the sources in flight end {@code timeout}, as in an
 * aggregation, and the sources not pulled yet are never started: the feed knows which.
 */
public final class StreamedAggregation {
  /** Where the sources come from, on the run's event loop. */
  @FunctionalInterface
  public interface SourceFeed {
    /**
     * Up to {@code max} more sources, when the feed has them (it may make the run wait, e.g. while its
     * output is behind); an empty list once there are none left. Not called again before the
     * returned future completed.
     */
    Future<List<SourceSpec>> next(int max);
  }

  /**
   * The bounds of a streamed run.
   *
   * @param deadlineMs from the run's start; 0 for none
   * @param concurrency requests in flight at most
   * @param rate requests a second to each origin, or null
   * @param trusted the sources come from the operator, whom the upstream policy lets reach private networks
   */
  public record Bounds(long deadlineMs, int concurrency, RateSpec rate, boolean trusted) {}

  /** A deadline that never comes in practice, for runs without one (and still far from overflowing). */
  static final long NO_DEADLINE_MS = 30L * 24 * 3_600_000;

  private final Vertx vertx;
  private final Bounds bounds;
  private final SourceFeed feed;
  private final ResultListener listener;
  private final ByteBudget budget;
  private final SourceOutcomes outcomes;
  private final long startNanos;
  private final int window;
  private final ArrayDeque<SourceSpec> pending = new ArrayDeque<>();
  /** The sources admitted and not finished, by their context (for the deadline and cancellation). */
  private final Map<FetchContext, SourceSpec> running = new IdentityHashMap<>();
  private final Promise<AggregateSummary> summary = Promise.promise();
  private Fetcher fetcher;
  private boolean pulling;
  private boolean exhausted;
  private boolean stopped;
  private boolean deadlinePassed;
  private boolean pumping;
  private boolean pumpAgain;
  private long deadlineTimer = -1;
  private int next;
  private long ok;
  private long failed;
  private boolean onlyTimeouts = true;
  private final SourceStats stats;

  StreamedAggregation(Vertx vertx, Bounds bounds, SourceFeed feed, ResultListener listener, ByteBudget budget,
      long maxBodyBytes, RunInfo info, FaninMetrics metrics, ResultDecoder decoder, TraceSpan trace) {
    this.vertx = vertx;
    this.bounds = bounds;
    this.feed = feed;
    this.listener = listener;
    this.budget = budget;
    this.stats = new SourceStats(metrics);
    this.startNanos = System.nanoTime();
    this.window = Math.max(1, bounds.concurrency()) * 2;
    long deadlineMs = bounds.deadlineMs() > 0 ? bounds.deadlineMs() : NO_DEADLINE_MS;
    ClientPace pace = bounds.rate() == null ? null : new ClientPace(bounds.rate().perSecond(), bounds.rate().burst());
    this.outcomes = new SourceOutcomes(startNanos, startNanos + deadlineMs * 1_000_000L, budget, maxBodyBytes,
        bounds.trusted(), info, pace, decoder, false, listener.exchanges(), trace);
    listener.attach(budget);
  }

  void start(Fetcher fetcher) {
    this.fetcher = fetcher;
    if (bounds.deadlineMs() > 0) {
      deadlineTimer = vertx.setTimer(bounds.deadlineMs(), t -> {
        deadlineTimer = -1;
        deadlinePassed = true;
        endRunning(ErrorKind.TIMEOUT, "the run's deadline of " + bounds.deadlineMs() + " ms passed");
      });
    }
    pump();
  }

  /** Completes once every source pulled has a result, and no more will be pulled. */
  public Future<AggregateSummary> summary() {
    return summary.future();
  }

  /**
   * Starts no more sources; those running go on and their results still reach the listener (a run
   * interrupted by its operator, which writes what it has and leaves).
   */
  public void stop() {
    stopped = true;
    pending.clear();
    pump();
  }

  /** Ends every running source as cancelled and stops its requests; starts no more. */
  public void cancel(String why) {
    stopped = true;
    pending.clear();
    endRunning(ErrorKind.CANCELLED, why);
  }

  /** Whether the deadline ended the run before every source was pulled (see the class comment). */
  public boolean deadlinePassed() {
    return deadlinePassed;
  }

  /** Sources admitted and not finished. */
  public int running() {
    return running.size();
  }

  /** The slowest source so far, as "id:ms". */
  public String slowest() {
    return stats.slowest();
  }

  private void endRunning(ErrorKind kind, String message) {
    stopped = true;
    pending.clear();
    FetchException reason = new FetchException(kind, message);
    for (Map.Entry<FetchContext, SourceSpec> e : new ArrayList<>(running.entrySet())) {
      if (running.remove(e.getKey()) != null) {
        deliver(outcomes.failure(e.getValue(), e.getKey(), reason, 0, null));
        e.getKey().cancel(reason);
      }
    }
    pump();
  }

  /** Admits what fits, asks the feed for more when running low, and finishes when all is done. */
  private void pump() {
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    try {
      do {
        pumpAgain = false;
        while (!stopped && running.size() < window && !pending.isEmpty()) {
          admit(pending.poll());
        }
        if (!stopped && !exhausted && !pulling && pending.size() < bounds.concurrency()) {
          pull();
        }
      } while (pumpAgain);
    } finally {
      pumping = false;
    }
    if (running.isEmpty() && !pulling && (exhausted || stopped) && !summary.future().isComplete()) {
      finish();
    }
  }

  private void pull() {
    pulling = true;
    Future<List<SourceSpec>> more;
    try {
      more = feed.next(Math.max(window, 256));
    } catch (RuntimeException e) {
      more = Future.failedFuture(e);
    }
    more.onComplete(ar -> {
      pulling = false;
      if (ar.failed()) {
        // a feed that cannot go on ends the run as if it had no more sources; it reports its own failure
        exhausted = true;
      } else if (ar.result().isEmpty()) {
        exhausted = true;
      } else if (!stopped) {
        pending.addAll(ar.result());
      }
      pump();
    });
  }

  private void admit(SourceSpec source) {
    FetchContext context = outcomes.context(source, System.nanoTime());
    running.put(context, source);
    Future<FetchResponse> fetched;
    try {
      fetched = fetcher.fetch(FetchRequest.of(source, context));
    } catch (RuntimeException e) {
      fetched = Future.failedFuture(e);
    }
    fetched.onComplete(ar -> outcomes.toResult(source, context, ar)
        .onComplete(r -> complete(context, r.succeeded() ? r.result()
            : outcomes.failure(source, context, r.cause(), 0, null))));
  }

  /** The first outcome of a source wins (the deadline may have ended it already). */
  private void complete(FetchContext context, SourceResult result) {
    if (running.remove(context) == null) {
      return;
    }
    try {
      deliver(result);
    } finally {
      pump();
    }
  }

  private void deliver(SourceResult result) {
    stats.count(result);
    outcomes.traced(result);
    if (result.ok()) {
      ok++;
    } else {
      failed++;
      onlyTimeouts &= result.errorKind() == ErrorKind.TIMEOUT;
    }
    listener.onResult(next++, result);
  }

  private void finish() {
    if (deadlineTimer >= 0) {
      vertx.cancelTimer(deadlineTimer);
    }
    long duration = (System.nanoTime() - startNanos) / 1_000_000;
    boolean allOk = failed == 0;
    summary.complete(new AggregateSummary(allOk, duration, (int) Math.min(Integer.MAX_VALUE, ok),
        (int) Math.min(Integer.MAX_VALUE, failed), allOk, !allOk && onlyTimeouts, null));
    listener.done().onComplete(v -> budget.close());
  }
}
