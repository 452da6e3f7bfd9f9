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
import dev.fanin.metrics.FaninMetrics;
import dev.fanin.tracing.TraceSpan;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import io.vertx.core.json.JsonArray;

/**
 * One running aggregation: every source fetched concurrently, each result handed to the listener
 * as it completes, all of them bounded by the deadline. A completion policy ({@code complete}: any
 * k, first) may end it sooner: once k required sources are ok, or once they no longer can be, the
 * sources still running end as cancelled and their requests are reset, as the deadline does.
 * Confined to the event loop it started on.
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
  private final TimelineCollector merged;
  private final SourceOutcomes outcomes;
  private final SourceStats stats;
  /** Required sources still running, and those ok, while a policy (any, first) is undecided. */
  private int policyPending;
  private int policyOk;
  private boolean policyOnlyTimeouts = true;
  /** The policy's verdict once decided: null while undecided (or under "all"). */
  private Boolean policyMet;
  private boolean policyEnded;
  private Fetcher fetcher;
  /** Sources that wait for others' results: how many they still wait for, and who waits for whom. */
  private final Dependencies dependencies;
  /** Sources expanded over a list, by index; null until one is. */
  private java.util.Map<Integer, Expansion> expansions;

  Aggregation(Vertx vertx, AggregationSpec spec, ResultListener listener, ByteBudget budget,
      long maxBodyBytes, RunInfo info, FaninMetrics metrics, ResultDecoder decoder, TraceSpan trace,
      int maxExpansion, int expansionRoom) {
    this.merged = spec.merge().items() ? new TimelineCollector(spec.merge().limit()) : null;
    this.stats = new SourceStats(metrics);
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
    this.outcomes = new SourceOutcomes(startNanos, deadlineNanos, budget, maxBodyBytes, spec.trusted(), info, pace,
        decoder, merged != null, listener.exchanges(), trace);
    for (int i = 0; i < n; i++) {
      contexts[i] = outcomes.context(spec.sources().get(i), startNanos);
      if (!spec.sources().get(i).optional()) {
        policyPending++;
      }
    }
    this.dependencies = Dependencies.of(spec.sources(), maxExpansion, expansionRoom);
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
    this.fetcher = fetcher;
    for (int i = 0; i < sources.size(); i++) {
      if (dependencies == null || !dependencies.waits(i)) {
        send(i, sources.get(i));
      }
    }
  }

  private void send(int index, SourceSpec source) {
    Future<FetchResponse> fetched;
    try {
      fetched = fetcher.fetch(FetchRequest.of(source, contexts[index]));
    } catch (RuntimeException e) {
      fetched = Future.failedFuture(e);
    }
    fetched.onComplete(ar -> outcomes.toResult(source, contexts[index], ar)
        .onComplete(r -> complete(index, r.succeeded() ? r.result()
            : outcomes.failure(source, contexts[index], r.cause(), 0, null))));
  }

  /**
   * A source others wait for has its result: each of them that waits for nothing more now runs,
   * with the values filled in, or ends skipped. Not while the aggregation is being ended (its
   * deadline, the client, a policy): those end for that reason.
   */
  private void release(SourceResult result) {
    if (dependencies == null || policyEnded) {
      return;
    }
    for (int d : dependencies.done(result)) {
      if (delivered.get(d).future().isComplete()) {
        continue;
      }
      SourceSpec source = spec.sources().get(d);
      Dependencies.Filled filled = dependencies.fill(source);
      if (filled.expanded() != null) {
        expand(d, source, filled.expanded());
      } else if (filled.skipped() != null) {
        complete(d, outcomes.failure(source, contexts[d], new FetchException(ErrorKind.SKIPPED, filled.skipped()),
            0, null));
      } else {
        send(d, filled.source());
      }
    }
  }

  /**
   * A source expanded over a list: one request per element, each its own result ("orders.0", …)
   * delivered under the source's index; the source is done when all of them are.
   */
  private void expand(int index, SourceSpec source, List<Dependencies.Filled> requests) {
    if (requests.isEmpty()) {
      complete(index, outcomes.expandedIntoNothing(source, contexts[index], source.template().expansion().toString()));
      return;
    }
    Expansion e = new Expansion(requests.size());
    if (expansions == null) {
      expansions = new java.util.HashMap<>();
    }
    expansions.put(index, e);
    for (int k = 0; k < requests.size(); k++) {
      Dependencies.Filled r = requests.get(k);
      e.specs[k] = r.source();
      e.contexts[k] = outcomes.context(r.source(), startNanos);
    }
    for (int k = 0; k < requests.size(); k++) {
      int n = k;
      Dependencies.Filled r = requests.get(k);
      if (r.skipped() != null) {
        completeExpanded(index, n, outcomes.failure(r.source(), e.contexts[n],
            new FetchException(ErrorKind.SKIPPED, r.skipped()), 0, null));
        continue;
      }
      Future<FetchResponse> fetched;
      try {
        fetched = fetcher.fetch(FetchRequest.of(r.source(), e.contexts[n]));
      } catch (RuntimeException ex) {
        fetched = Future.failedFuture(ex);
      }
      fetched.onComplete(ar -> outcomes.toResult(r.source(), e.contexts[n], ar)
          .onComplete(res -> completeExpanded(index, n, res.succeeded() ? res.result()
              : outcomes.failure(r.source(), e.contexts[n], res.cause(), 0, null))));
    }
  }

  /** One request of an expanded source has its result (the first outcome wins). */
  private void completeExpanded(int index, int n, SourceResult result) {
    Expansion e = expansions.get(index);
    if (e.done[n] || delivered.get(index).future().isComplete()) {
      return;
    }
    e.done[n] = true;
    e.left--;
    try {
      deliver(index, result);
    } finally {
      if (e.left == 0) {
        delivered.get(index).complete();
      }
    }
  }

  /** The requests of one expanded source: their sources, contexts and which have their result. */
  private static final class Expansion {
    final SourceSpec[] specs;
    final FetchContext[] contexts;
    final boolean[] done;
    int left;

    Expansion(int n) {
      this.specs = new SourceSpec[n];
      this.contexts = new FetchContext[n];
      this.done = new boolean[n];
      this.left = n;
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
    policyEnded = true; // what ends now ends for this reason, whatever a policy decides meanwhile
    FetchException reason = new FetchException(kind, message);
    for (int i = 0; i < contexts.length; i++) {
      Expansion e = expansions == null ? null : expansions.get(i);
      if (e != null) {
        for (int n = 0; n < e.done.length; n++) {
          if (!e.done[n]) {
            completeExpanded(i, n, outcomes.failure(e.specs[n], e.contexts[n], reason, 0, null));
            e.contexts[n].cancel(reason);
          }
        }
      } else if (!delivered.get(i).future().isComplete()) {
        complete(i, outcomes.failure(spec.sources().get(i), contexts[i], reason, 0, null));
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
    release(result);
    if (policyMet != null && !policyEnded) {
      policyEnded = true; // after the result that decided it is delivered: the rest end as cancelled
      int required = spec.sources().size() - (int) spec.sources().stream().filter(SourceSpec::optional).count();
      endUnfinished(ErrorKind.CANCELLED, policyMet
          ? "the completion policy (" + spec.complete().describe() + ") was met: " + policyOk + " of "
              + required + " required sources ok"
          : "the completion policy (" + spec.complete().describe() + ") can no longer be met: "
              + (required - policyOk - policyPending) + " of " + required + " required sources failed");
    }
  }

  /** Counts a required source's result towards an undecided policy, and decides it when it can. */
  private void judgePolicy(SourceResult result) {
    if (!spec.complete().early() || policyMet != null || result.optional()) {
      return;
    }
    policyPending--;
    if (result.ok()) {
      policyOk++;
    } else {
      policyOnlyTimeouts &= result.errorKind() == ErrorKind.TIMEOUT;
    }
    int needed = spec.complete().count();
    if (policyOk >= needed) {
      policyMet = true;
    } else if (policyOk + policyPending < needed) {
      policyMet = false;
    }
  }

  /** The slowest source so far, as "id:ms" (for the aggregation's log line). */
  public String slowest() {
    return stats.slowest();
  }

  private void deliver(int index, SourceResult result) {
    stats.count(result);
    outcomes.traced(result);
    if (merged != null && !result.items().isEmpty()) {
      budget.giveBack(merged.add(result.id(), index, result.items()));
    }
    judgePolicy(result);
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
    if (spec.complete().early()) {
      // a policy decides the status: met is a success whatever the sources it cancelled
      boolean met = Boolean.TRUE.equals(policyMet);
      summary.complete(new AggregateSummary(failed == 0, duration, ok, failed, met, !met && policyOnlyTimeouts,
          items));
      return;
    }
    summary.complete(new AggregateSummary(failed == 0, duration, ok, failed, requiredOk,
        !requiredOk && onlyTimeouts, items));
  }
}
