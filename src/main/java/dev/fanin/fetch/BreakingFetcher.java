package dev.fanin.fetch;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;

/**
 * Guards each origin with its circuit breaker. An open breaker answers circuit_open at once
 * without touching the upstream; after its reset timeout one trial request goes through.
 *
 * <p>The breaker judges the origin, not the client: an attempt ended by its own aggregation
 * (deadline, client gone, completion policy), by a per-attempt timeout shorter than
 * breaker.minTimeoutMs, or by fanin's own wait for a connection is not a failure of the origin, and
 * is passed through the breaker as an outcome it does not count.
 */
public final class BreakingFetcher implements Fetcher {
  private final Fetcher next;
  private final BreakerRegistry breakers;

  public BreakingFetcher(Fetcher next, BreakerRegistry breakers) {
    this.next = next;
    this.breakers = breakers;
  }

  /** A failure carried through the breaker as a non-failure, to be unwrapped after it. */
  private record NotJudged(Throwable cause) {}

  @Override
  public Future<FetchResponse> fetch(FetchRequest request) {
    String origin = request.origin();
    CircuitBreaker breaker = breakers.forOrigin(origin);
    return breaker.<Object>execute(() -> {
      if (request.context().trace().recording()) {
        request.context().breakerState(breaker.state().name().toLowerCase(java.util.Locale.ROOT));
      }
      return next.fetch(request).transform(ar -> {
        if (ar.succeeded()) {
          FetchResponse response = ar.result();
          return response.status() >= 500
              ? Future.failedFuture(new BreakerRegistry.ServerErrorSignal(response))
              : Future.succeededFuture(response);
        }
        return judgesOrigin(request, ar.cause())
            ? Future.failedFuture(ar.cause())
            : Future.succeededFuture(new NotJudged(ar.cause()));
      });
    })
        .recover(t -> {
          if (t instanceof BreakerRegistry.ServerErrorSignal signal) {
            return Future.succeededFuture(signal.response);
          }
          if (t instanceof OpenCircuitException) {
            return Future.failedFuture(new FetchException(ErrorKind.CIRCUIT_OPEN,
                "circuit breaker for " + origin + " is open"));
          }
          return Future.failedFuture(t);
        })
        .compose(outcome -> outcome instanceof NotJudged notJudged
            ? Future.failedFuture(notJudged.cause())
            : Future.succeededFuture((FetchResponse) outcome));
  }

  /** Whether a failure may count against the origin (the breaker's policy then decides if it does). */
  private boolean judgesOrigin(FetchRequest request, Throwable failure) {
    if (request.context().isCancelled()) {
      return false; // its own aggregation ended it
    }
    if (failure instanceof FetchException fe && !fe.judgesOrigin()) {
      return false;
    }
    return FetchException.kindOf(failure) != ErrorKind.TIMEOUT || request.timeoutMs() >= breakers.minTimeoutMs();
  }
}
