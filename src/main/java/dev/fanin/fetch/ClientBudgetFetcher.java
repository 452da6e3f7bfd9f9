package dev.fanin.fetch;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Holds each upstream request to its client's budget ({@link ClientBudgets}) before the origin's
 * turn: a request waits (on the event loop) for its client's token and a slot among the client's
 * requests in flight, or ends rate_limited when neither comes before its deadline; the slot is given
 * back when the request is over. Retries and redirect hops pass through here too, so they count.
 * The wait is the attempt's budget wait in its timings.
 */
public final class ClientBudgetFetcher implements Fetcher {
  private final Fetcher next;
  private final ClientBudgets budgets;
  private final Vertx vertx;

  public ClientBudgetFetcher(Fetcher next, ClientBudgets budgets, Vertx vertx) {
    this.next = next;
    this.budgets = budgets;
    this.vertx = vertx;
  }

  @Override
  public Future<FetchResponse> fetch(FetchRequest request) {
    FetchContext context = request.context();
    String holder = context.budgetHolder();
    if (holder == null) {
      return next.fetch(request);
    }
    if (context.isCancelled()) {
      return Future.failedFuture(context.cancellation());
    }
    Timings timings = context.timings();
    timings.enter(Timings.Phase.BUDGET);
    return budgets.acquire(holder, context.deadlineNanos(), vertx.getOrCreateContext(), context::onCancel)
        .compose(permit -> {
          timings.leave(Timings.Phase.BUDGET);
          Future<FetchResponse> sent;
          try {
            sent = next.fetch(request);
          } catch (RuntimeException e) {
            sent = Future.failedFuture(e);
          }
          return sent.andThen(ar -> {
            permit.release();
            if (ar.succeeded() && ar.result().status() == 429) {
              ClientAllowance allowance = budgets.existing(holder);
              if (allowance != null) {
                allowance.throttled();
              }
              budgets.metrics().clientThrottled(ClientBudgets.label(holder));
            }
          });
        }, refused -> {
          timings.leave(Timings.Phase.BUDGET);
          return Future.failedFuture(refused);
        });
  }
}
