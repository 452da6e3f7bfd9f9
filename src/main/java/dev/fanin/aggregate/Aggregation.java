package dev.fanin.aggregate;

import dev.fanin.definition.AggregationSpec;
import dev.fanin.definition.SourceSpec;
import dev.fanin.fetch.ByteBudget;
import dev.fanin.fetch.ClientPace;
import dev.fanin.fetch.ErrorKind;
import dev.fanin.fetch.FetchContext;
import dev.fanin.fetch.FetchException;
import dev.fanin.fetch.FetchRequest;
import dev.fanin.fetch.FetchResponse;
import dev.fanin.fetch.Fetcher;
import dev.fanin.fetch.Timings;
import dev.fanin.metrics.FaninMetrics;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import io.vertx.core.json.JsonArray;

/**
 * One running aggregation: every source fetched concurrently, each result handed to the listener
 * as it completes, all of them bounded by the deadline. Confined to the event loop it started on.
 */
public final class Aggregation {
  private final Vertx vertx;
  private final AggregationSpec spec;
  private final ResultListener listener;
  private final long startNanos;
  private final FetchContext[] contexts;
  /** Completed (with no value) once a source's result was delivered: results are not kept here. */
  private final List<Promise<Void>> delivered;
  private final ByteBudget budget;
  private final Promise<AggregateSummary> summary = Promise.promise();
  private long deadlineTimer = -1;
  private int ok;
  private int failed;
  private boolean requiredOk = true;
  private boolean onlyTimeouts = true;
  private final FaninMetrics metrics;
  private final ResultDecoder decoder;
  private final TimelineCollector merged;
  private String slowestId;
  private long slowestMs = -1;

  Aggregation(Vertx vertx, AggregationSpec spec, ResultListener listener, ByteBudget budget,
      long maxBodyBytes, RunInfo info, FaninMetrics metrics, ResultDecoder decoder) {
    this.decoder = decoder;
    this.merged = spec.merge().items() ? new TimelineCollector(spec.merge().limit()) : null;
    this.metrics = metrics;
    this.vertx = vertx;
    this.spec = spec;
    this.listener = listener;
    this.startNanos = System.nanoTime();
    int n = spec.sources().size();
    this.contexts = new FetchContext[n];
    this.delivered = new ArrayList<>(n);
    this.budget = budget;
    listener.attach(budget);
    long deadlineNanos = startNanos + spec.deadlineMs() * 1_000_000L;
    ClientPace pace = spec.rate() == null ? null : new ClientPace(spec.rate().perSecond(), spec.rate().burst());
    for (int i = 0; i < n; i++) {
      contexts[i] = new FetchContext(startNanos, deadlineNanos, budget, maxBodyBytes).trusted(spec.trusted())
          .requestId(info.requestId()).via(info.via()).client(info.client()).cacheSpec(spec.sources().get(i).cache())
          .redirects(spec.sources().get(i).secretHeaders(), spec.sources().get(i).keepBodyOnRedirect()).pace(pace)
          .budgetHolder(info.budget());
    }
  }

  void start(Fetcher fetcher) {
    deadlineTimer = vertx.setTimer(spec.deadlineMs(), t -> {
      deadlineTimer = -1;
      endUnfinished(ErrorKind.TIMEOUT, "the aggregation's deadline of " + spec.deadlineMs() + " ms passed");
    });
    List<SourceSpec> sources = spec.sources();
    List<Future<Void>> futures = new ArrayList<>(sources.size());
    for (int i = 0; i < sources.size(); i++) {
      Promise<Void> promise = Promise.promise();
      delivered.add(promise);
      futures.add(promise.future());
    }
    Future.join(futures).onComplete(done -> finish());
    for (int i = 0; i < sources.size(); i++) {
      int index = i;
      SourceSpec source = sources.get(i);
      Future<FetchResponse> fetched;
      try {
        fetched = fetcher.fetch(FetchRequest.of(source, contexts[i]));
      } catch (RuntimeException e) {
        fetched = Future.failedFuture(e);
      }
      fetched.onComplete(ar -> toResult(source, contexts[index], ar)
          .onComplete(r -> complete(index, r.succeeded() ? r.result()
              : failure(source, contexts[index], r.cause(), 0, null))));
    }
  }

  /** Completes when every source has a result. */
  public Future<AggregateSummary> summary() {
    return summary.future();
  }

  /** Ends every unfinished source as cancelled and stops its requests (e.g. the client left). */
  public void cancel(String why) {
    endUnfinished(ErrorKind.CANCELLED, why);
  }

  private void endUnfinished(ErrorKind kind, String message) {
    FetchException reason = new FetchException(kind, message);
    for (int i = 0; i < contexts.length; i++) {
      if (!delivered.get(i).future().isComplete()) {
        complete(i, failure(spec.sources().get(i), contexts[i], reason, 0, null));
        contexts[i].cancel(reason);
      }
    }
  }

  /** The first outcome of a source wins; it is handed over and not kept (streams stay small). */
  private void complete(int index, SourceResult result) {
    Promise<Void> promise = delivered.get(index);
    if (promise.future().isComplete()) {
      return;
    }
    try {
      deliver(index, result);
    } finally {
      promise.complete();
    }
  }

  /** The slowest source so far, as "id:ms" (for the aggregation's log line). */
  public String slowest() {
    return slowestId == null ? null : slowestId + ":" + slowestMs;
  }

  private void deliver(int index, SourceResult result) {
    long took = result.startMs() + result.latencyMs();
    if (took > slowestMs) {
      slowestMs = took;
      slowestId = result.id();
    }
    metrics.source(result.ok() ? "ok" : result.errorKind().wireName());
    metrics.cache(result.cache());
    if (merged != null && !result.items().isEmpty()) {
      budget.giveBack(merged.add(result.id(), index, result.items()));
    }
    metrics.retries(Math.max(0, result.attempts() - 1));
    if (result.ok()) {
      ok++;
    } else {
      failed++;
      if (!result.optional()) {
        requiredOk = false;
        onlyTimeouts &= result.errorKind() == ErrorKind.TIMEOUT;
      }
    }
    listener.onResult(index, result);
  }

  /**
   * Completes the summary; whatever fails in making it fails the summary rather than leaving it
   * open. The bytes the aggregation still holds go back to the process once its listener is done.
   */
  private void finish() {
    try {
      summarize();
    } catch (RuntimeException e) {
      summary.tryFail(e);
    }
    if (summary.future().failed()) {
      budget.close();
    } else {
      listener.done().onComplete(v -> budget.close());
    }
  }

  private void summarize() {
    if (deadlineTimer >= 0) {
      vertx.cancelTimer(deadlineTimer);
    }
    long duration = (System.nanoTime() - startNanos) / 1_000_000;
    JsonArray items = merged == null ? null : merged.result();
    summary.complete(new AggregateSummary(failed == 0, duration, ok, failed, requiredOk,
        !requiredOk && onlyTimeouts, items));
  }

  private Future<SourceResult> toResult(SourceSpec source, FetchContext context,
      AsyncResult<FetchResponse> ar) {
    if (ar.failed()) {
      return Future.succeededFuture(failure(source, context, ar.cause(), 0, null));
    }
    FetchResponse response = ar.result();
    if (!response.isSuccess()) {
      String message = "upstream answered " + response.status() + " "
          + HttpResponseStatus.valueOf(response.status()).reasonPhrase();
      FetchException http = new FetchException(ErrorKind.HTTP, message);
      for (String note : response.notes()) {
        http = http.withNote(note);
      }
      return Future.succeededFuture(failure(source, context, http, response.status(),
          BodyDecoder.decodeLeniently(response.headers().get("Content-Type"), response.body()),
          response.cache(), response.cacheAgeMs()));
    }
    return decoder.decode(source, response, source.url().toString())
        .compose(decoded -> fits(decoded, response))
        .map(decoded -> new SourceResult(source.id(), source.optional(), response.status(), latency(context),
            startOffset(context), context.attempts(), decoded.data(), null, null,
            System.currentTimeMillis(), decoded.notes(), decoded.items(), response.cache(),
            response.cacheAgeMs(), timings(context, response.cache())))
        .recover(t -> Future.succeededFuture(failure(source, context, t, response.status(), null,
            response.cache(), response.cacheAgeMs())));
  }

  /**
   * Counts what decoding added to the body already counted: text held as UTF-16, parsed feed items
   * kept for a merge. A decoded answer that does not fit ends the source too_large.
   */
  private Future<Decoded> fits(Decoded decoded, FetchResponse response) {
    long bytes = decoded.data() == null ? 0 : decoded.data().size();
    if (merged != null) {
      for (FeedItemRef item : decoded.items()) {
        bytes += item.bytes();
      }
    }
    long extra = bytes - (response.body() == null ? 0 : response.body().length());
    if (extra <= 0 || budget.take(extra)) {
      return Future.succeededFuture(decoded);
    }
    return Future.failedFuture(new FetchException(ErrorKind.TOO_LARGE,
        "the decoded answer does not fit: " + budget.refusal()));
  }

  private SourceResult failure(SourceSpec source, FetchContext context, Throwable cause,
      int httpStatus, SourceData data) {
    return failure(source, context, cause, httpStatus, data, "miss", 0);
  }

  /** A failed source's result: the failure's message with its notes, and what the cache did. */
  private SourceResult failure(SourceSpec source, FetchContext context, Throwable cause,
      int httpStatus, SourceData data, String cache, long cacheAgeMs) {
    ErrorKind kind = FetchException.kindOf(cause);
    if (httpStatus == 0) {
      httpStatus = FetchException.statusOf(cause);
    }
    String message = cause.getMessage() == null ? kind.wireName() : cause.getMessage();
    for (String note : FetchException.notesOf(cause)) {
      message = message + "; " + note;
    }
    if (kind == ErrorKind.TIMEOUT && context.waiting() != null && !message.contains("waited")) {
      message = message + "; " + context.waiting();
    }
    return new SourceResult(source.id(), source.optional(), httpStatus, latency(context),
        startOffset(context), context.attempts(), data, kind, message, System.currentTimeMillis(),
        List.of(), List.of(), cache, cacheAgeMs, timings(context, cache));
  }

  /**
   * The source's timings, frozen as its result is made: a wait still running counts until now.
   * Its answer came from the cache (a fresh hit, or a stale answer standing in), from another
   * source's identical request (coalesced, whatever the cache then made of it), or upstream.
   */
  private static Timings timings(FetchContext context, String cache) {
    Timings timings = context.timings();
    String from = "hit".equals(cache) || "stale".equals(cache) ? "cache"
        : timings.isCoalesced() || "coalesced".equals(cache) ? "coalesced" : "upstream";
    return timings.freeze(from);
  }

  private long latency(FetchContext context) {
    return (System.nanoTime() - context.firstAttemptNanos()) / 1_000_000;
  }

  private long startOffset(FetchContext context) {
    return (context.firstAttemptNanos() - startNanos) / 1_000_000;
  }
}
