package dev.fanin.fetch;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Waits for the origin's turn ({@link OriginGate}) before the request goes out, for as long as the
 * source's deadline allows. A source that cannot get a turn in time ends as a timeout that says it
 * waited, and the origin's breaker never hears of it: the origin was not asked.
 */
public final class OriginGateFetcher implements Fetcher {
  private final Fetcher next;
  private final OriginGates gates;
  private final Vertx vertx;

  public OriginGateFetcher(Fetcher next, OriginGates gates, Vertx vertx) {
    this.next = next;
    this.gates = gates;
    this.vertx = vertx;
  }

  @Override
  public Future<FetchResponse> fetch(FetchRequest request) {
    FetchContext context = request.context();
    if (context.isCancelled()) {
      return Future.failedFuture(context.cancellation());
    }
    String origin = request.origin();
    Context here = vertx.getOrCreateContext();
    OriginGate.Waiter waiter = gates.enterOrQueue(origin, here, context.fairnessGroup());
    if (waiter == null) {
      return run(request, origin);
    }
    if (waiter == OriginGate.FULL) {
      return Future.failedFuture(new FetchException(ErrorKind.REJECTED,
          "too many requests are waiting for upstream origins (client.maxWaitQueue)"));
    }
    OriginGate gate = gates.gate(origin);
    long remaining = Math.max(1, context.remainingMs());
    context.waitingFor(origin);
    long timer = vertx.setTimer(remaining, t -> {
      if (gate.leave(waiter)) {
        waiter.turn.tryFail(FetchException.notJudging(ErrorKind.TIMEOUT, "the deadline passed while "
            + context.waiting()));
      }
    });
    Runnable unhook = context.onCancel(() -> {
      if (gate.leave(waiter)) {
        waiter.turn.tryFail(context.cancellation());
      }
    });
    return waiter.turn.future().transform(ar -> {
      if (ar.succeeded()) {
        context.waitingFor(null); // a source that gave up keeps saying why, whoever reports its end
      }
      vertx.cancelTimer(timer);
      unhook.run();
      return ar.succeeded() ? run(request, origin) : Future.failedFuture(ar.cause());
    });
  }

  private Future<FetchResponse> run(FetchRequest request, String origin) {
    Future<FetchResponse> sent;
    try {
      sent = next.fetch(request);
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    OriginGate gate = gates.gate(origin);
    return sent.andThen(ar -> gate.exit(gates.limit()));
  }
}
