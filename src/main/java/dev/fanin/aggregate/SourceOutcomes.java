package dev.fanin.aggregate;

import dev.fanin.definition.SourceSpec;
import dev.fanin.fetch.ByteBudget;
import dev.fanin.fetch.ClientPace;
import dev.fanin.fetch.ErrorKind;
import dev.fanin.fetch.Exchanges;
import dev.fanin.fetch.FetchContext;
import dev.fanin.fetch.FetchException;
import dev.fanin.fetch.FetchResponse;
import dev.fanin.fetch.Timings;
import dev.fanin.tracing.TraceSpan;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.util.List;

/**
 * What every source of one run shares, and how what its fetch returned becomes its result: the
 * context it travels down the pipeline with, and its outcome, ok or failed, in the API's words.
 * Used alike by an {@link Aggregation} and a {@link StreamedAggregation}, so that a source's result
 * is the same whichever of them ran it.
 */
final class SourceOutcomes {
  private final long startNanos;
  private final long deadlineNanos;
  private final ByteBudget budget;
  private final long maxBodyBytes;
  private final boolean trusted;
  private final RunInfo info;
  private final ClientPace pace;
  private final ResultDecoder decoder;
  private final boolean keepsItems;
  private final Exchanges.Recording recording;

  /** The aggregation's span, or NONE. */
  private final TraceSpan trace;

  /**
   * @param startNanos when the run started: results' startMs count from it
   * @param keepsItems parsed feed items are kept for a merged timeline (they count against the budget)
   * @param recording whether sources record the HTTP exchanges they send (a HAR answer)
   */
  SourceOutcomes(long startNanos, long deadlineNanos, ByteBudget budget, long maxBodyBytes, boolean trusted,
      RunInfo info, ClientPace pace, ResultDecoder decoder, boolean keepsItems, Exchanges.Recording recording,
      TraceSpan trace) {
    this.trace = trace;
    this.recording = recording;
    this.startNanos = startNanos;
    this.deadlineNanos = deadlineNanos;
    this.budget = budget;
    this.maxBodyBytes = maxBodyBytes;
    this.trusted = trusted;
    this.info = info;
    this.pace = pace;
    this.decoder = decoder;
    this.keepsItems = keepsItems;
  }

  /**
   * The context one source is fetched with.
   *
   * @param admittedNanos when the run let it in: the latency of a source that never sent anything
   *     counts from there (its startMs still counts from the run's start)
   */
  FetchContext context(SourceSpec source, long admittedNanos) {
    return new FetchContext(admittedNanos, deadlineNanos, budget, maxBodyBytes).timedFrom(startNanos).trusted(trusted)
        .requestId(info.requestId()).via(info.via()).client(info.client()).cacheSpec(source.cache())
        .redirects(source.secretHeaders(), source.keepBodyOnRedirect()).pace(pace)
        .budgetHolder(info.budget()).hedge(source.hedge())
        .recordExchanges(Exchanges.of(recording)).trace(trace);
  }

  /** Notes a source's result as an event on the aggregation's span (a cache hit has no attempt span of its own). */
  void traced(SourceResult result) {
    if (!trace.recording()) {
      return;
    }
    trace.event("source", "fanin.source.id", result.id(), "fanin.outcome", result.ok() ? "ok" : "failed",
        "fanin.error.kind", result.errorKind() == null ? null : result.errorKind().wireName(),
        "fanin.cache", result.cache(), "fanin.attempts", Integer.toString(result.attempts()),
        "http.response.status_code", result.httpStatus() > 0 ? Integer.toString(result.httpStatus()) : null);
  }

  Future<SourceResult> toResult(SourceSpec source, FetchContext context, AsyncResult<FetchResponse> ar) {
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
            response.cacheAgeMs(), timings(context, response.cache()), context.exchanges()))
        .recover(t -> Future.succeededFuture(failure(source, context, t, response.status(), null,
            response.cache(), response.cacheAgeMs())));
  }

  /**
   * Counts what decoding added to the body already counted: text held as UTF-16, parsed feed items
   * kept for a merge. A decoded answer that does not fit ends the source too_large.
   */
  private Future<Decoded> fits(Decoded decoded, FetchResponse response) {
    long bytes = decoded.data() == null ? 0 : decoded.data().size();
    if (keepsItems) {
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

  SourceResult failure(SourceSpec source, FetchContext context, Throwable cause, int httpStatus, SourceData data) {
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
        List.of(), List.of(), cache, cacheAgeMs, timings(context, cache), context.exchanges());
  }

  /**
   * The source's timings, frozen as its result is made: a wait still running counts until now.
   * Its answer came from the cache (a fresh hit, or a stale answer standing in), from another
   * source's identical request (coalesced, whatever the cache then made of it), or upstream.
   */
  /**
   * The result of a source expanded over an empty list: ok, with no request made, data [] and a
   * note saying why.
   */
  SourceResult expandedIntoNothing(SourceSpec source, FetchContext context, String list) {
    return new SourceResult(source.id(), source.optional(), 0, 0, 0, 0,
        new SourceData.Json(io.vertx.core.buffer.Buffer.buffer("[]")), null, null, System.currentTimeMillis(),
        List.of(list + " is an empty list: no request was made"), List.of(), "miss", 0,
        timings(context, "miss"), context.exchanges());
  }

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
