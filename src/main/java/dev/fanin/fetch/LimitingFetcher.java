package dev.fanin.fetch;

import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Lets at most a fixed number of requests of one aggregation be in flight; the rest wait in
 * order. Cancelling a waiting source takes it out of the line without sending anything. Each
 * attempt's timings begin here, with its wait for a slot.
 */
public final class LimitingFetcher implements Fetcher {
  private final Fetcher next;
  private final AsyncSemaphore permits;

  public LimitingFetcher(Fetcher next, AsyncSemaphore permits) {
    this.next = next;
    this.permits = permits;
  }

  @Override
  public Future<FetchResponse> fetch(FetchRequest request) {
    FetchContext context = request.context();
    if (context.isCancelled()) {
      return Future.failedFuture(context.cancellation());
    }
    Timings timings = context.timings();
    timings.begin();
    Promise<Void> waiter = permits.acquireOrWait();
    if (waiter == null) {
      return run(request);
    }
    timings.enter(Timings.Phase.SLOT);
    Runnable unhook = context.onCancel(() -> waiter.tryFail(context.cancellation()));
    return waiter.future().compose(v -> {
      timings.leave(Timings.Phase.SLOT);
      unhook.run();
      return run(request);
    });
  }

  private Future<FetchResponse> run(FetchRequest request) {
    return next.fetch(request).andThen(ar -> permits.release());
  }
}
