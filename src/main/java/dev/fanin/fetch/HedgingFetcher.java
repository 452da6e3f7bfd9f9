package dev.fanin.fetch;

import dev.fanin.config.HedgeSpec;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;

/**
 * Hedged requests: when a GET or HEAD has not answered after its hedge's delay (a fixed time, or
 * the origin's recent latency at a percentile), an identical second request goes out; the first
 * answer (any status) wins and the other request is reset. Both pass through everything below
 * (breaker, the aggregation's concurrency, the client's budget, the origin's pace), like any
 * attempt; the origin's hedge budget (see {@link Hedges}) bounds how many are sent.
 *
 * <p>Each racing request runs on a copy of the source's context, so that the loser can be cancelled
 * alone; when the race is over, both copies' attempts and timings are added to the source's. A
 * request still waiting for its turn (a slot, the origin's pace) when the delay ends is not hedged:
 * a second one would wait in the same line.
 */
public final class HedgingFetcher implements Fetcher {
  private final Fetcher next;
  private final Hedges hedges;
  private final Vertx vertx;

  public HedgingFetcher(Fetcher next, Hedges hedges, Vertx vertx) {
    this.next = next;
    this.hedges = hedges;
    this.vertx = vertx;
  }

  @Override
  public Future<FetchResponse> fetch(FetchRequest request) {
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      return next.fetch(request);
    }
    HedgeSpec spec = hedges.hedgeFor(request.context(), request.url());
    if (spec == null) {
      return next.fetch(request);
    }
    if (request.context().isCancelled()) {
      return Future.failedFuture(request.context().cancellation());
    }
    Hedges.Origin origin = hedges.origin(request.url());
    origin.earn(hedges.budgetShare());
    long delay = spec.afterMs() > 0 ? spec.afterMs() : origin.percentileMs(spec.percentile());
    return new Race(request, origin, delay).start();
  }

  /** One hedged request: the first request, maybe a second, and which answered first. */
  private final class Race {
    private final FetchRequest request;
    private final FetchContext source;
    private final Hedges.Origin origin;
    private final long delayMs;
    private final Promise<FetchResponse> outcome = Promise.promise();
    private final FetchContext first;
    private FetchContext second;
    private long firstSentAt;
    private long secondSentAt;
    private long timer = -1;
    private Runnable unhook;
    /** The first request's failure, kept while the second may still answer. */
    private AsyncResult<FetchResponse> firstFailed;
    private boolean firstDone;
    private boolean secondDone;
    /** The answer that won, kept until the loser has reported back (its attempt counts too). */
    private AsyncResult<FetchResponse> won;

    Race(FetchRequest request, Hedges.Origin origin, long delayMs) {
      this.request = request;
      this.source = request.context();
      this.origin = origin;
      this.delayMs = delayMs;
      this.first = source.copyForHedge();
    }

    Future<FetchResponse> start() {
      unhook = source.onCancel(() -> {
        first.cancel(source.cancellation());
        if (second != null) {
          second.cancel(source.cancellation());
        }
      });
      firstSentAt = System.nanoTime();
      send(first).onComplete(ar -> {
        firstDone = true;
        ended(true, ar);
      });
      if (delayMs >= 0 && !outcome.future().isComplete()) {
        timer = vertx.setTimer(Math.max(1, delayMs), t -> {
          timer = -1;
          hedge();
        });
      }
      return outcome.future();
    }

    private Future<FetchResponse> send(FetchContext context) {
      try {
        return next.fetch(request.withContext(context));
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }

    /** The delay has passed: a second request, if the first is out there and the budget allows. */
    private void hedge() {
      if (outcome.future().isComplete() || won != null || firstDone || !first.timings().inExchange()) {
        return;
      }
      if (!origin.spend()) {
        hedges.metrics().hedge("no_budget");
        return;
      }
      hedges.metrics().hedge("sent");
      second = source.copyForHedge();
      secondSentAt = System.nanoTime();
      send(second).onComplete(ar -> {
        secondDone = true;
        ended(false, ar);
      });
    }

    /**
     * One of the requests ended: an answer wins; a failure waits for the other, if it runs. The
     * loser is reset, and the outcome waits for it to report back (at once, or one hop from another
     * event loop), so that its attempt is counted in the source's.
     */
    private void ended(boolean isFirst, AsyncResult<FetchResponse> ar) {
      if (outcome.future().isComplete()) {
        return;
      }
      if (won != null) {
        finish(won); // the loser is back
        return;
      }
      if (ar.succeeded()) {
        origin.answered((System.nanoTime() - (isFirst ? firstSentAt : secondSentAt)) / 1_000_000);
        if (!isFirst) {
          hedges.metrics().hedge("won");
        }
        won = ar;
        FetchContext loser = isFirst ? second : first;
        if (loser != null && !(isFirst ? secondDone : firstDone)) {
          loser.cancel(new FetchException(ErrorKind.CANCELLED, "the other request of a hedged pair answered first"));
          return; // its end (now, or from its lane) finishes the race
        }
        finish(ar);
        return;
      }
      if (isFirst) {
        firstFailed = ar;
      }
      boolean otherRuns = isFirst ? second != null && !secondDone : !firstDone;
      if (!otherRuns) {
        finish(firstFailed != null ? firstFailed : ar);
      }
    }

    private void finish(AsyncResult<FetchResponse> ar) {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
      unhook.run();
      source.appendAttempts(first);
      if (second != null) {
        source.appendAttempts(second);
      }
      outcome.handle(ar);
    }
  }
}
