package dev.fanin.fetch;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * Sends one aggregation's requests round-robin from every lane (event loop and its client), not
 * only from the loop the aggregation runs on. Everything above this layer (retries, breakers,
 * limits, results) stays on the aggregation's loop; a request sent from another lane runs there
 * with a copy of its source's context (same deadline and byte budget), its cancellation is passed
 * over, and its outcome (with the attempt count and timings of the copy) comes back to the
 * aggregation's loop before anything reads it.
 */
public final class SpreadingFetcher implements Fetcher {
  private final Fetcher local;
  private final List<Lanes.Lane> lanes;
  private int next;

  public SpreadingFetcher(Fetcher local, List<Lanes.Lane> lanes) {
    this.local = local;
    this.lanes = lanes;
  }

  @Override
  public Future<FetchResponse> fetch(FetchRequest request) {
    Context here = Vertx.currentContext();
    Lanes.Lane lane = lanes.get(next++ % lanes.size());
    if (here == null || lane.context() == here) {
      return local.fetch(request);
    }
    return remote(lane, request, here);
  }

  private Future<FetchResponse> remote(Lanes.Lane lane, FetchRequest request, Context here) {
    FetchContext source = request.context();
    if (source.isCancelled()) {
      return Future.failedFuture(source.cancellation());
    }
    FetchContext copy = source.copyForLane();
    // until the lane's own timings come back, the exchange counts as waiting for the head: what a
    // source ended meanwhile (its deadline) reports
    source.timings().enter(Timings.Phase.HEAD);
    Promise<FetchResponse> promise = Promise.promise();
    Runnable unhook = source.onCancel(() -> {
      FetchException reason = source.cancellation();
      lane.context().runOnContext(v -> copy.cancel(reason));
    });
    FetchRequest there = request.withContext(copy);
    lane.context().runOnContext(v -> {
      Future<FetchResponse> sent;
      try {
        sent = lane.http().fetch(there);
      } catch (RuntimeException e) {
        sent = Future.failedFuture(e);
      }
      sent.onComplete(ar -> here.runOnContext(back -> {
        unhook.run();
        source.absorbAttempts(copy);
        promise.handle(ar);
      }));
    });
    return promise.future();
  }
}
