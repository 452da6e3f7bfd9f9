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
  static final long DEADLINE_MARGIN_MS = 5;

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
    long waitStart = System.nanoTime();
    // a little before the deadline, so that the source's result says it waited, not only that time ran out
    long remaining = Math.max(1, context.remainingMs() - DEADLINE_MARGIN_MS);
    long timer = vertx.setTimer(remaining, t -> {
      if (gate.leave(waiter)) {
        waiter.turn.tryFail(FetchException.notJudging(ErrorKind.TIMEOUT, "waited "
            + (System.nanoTime() - waitStart) / 1_000_000 + " ms for a connection to " + origin + " ("
            + gates.limit() + " requests in flight, client.maxConnectionsPerOrigin) until the deadline"));
      }
    });
    Runnable unhook = context.onCancel(() -> {
      if (gate.leave(waiter)) {
        waiter.turn.tryFail(context.cancellation());
      }
    });
    return waiter.turn.future().transform(ar -> {
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
