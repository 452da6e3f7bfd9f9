package dev.fanin.fetch;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;

/**
 * Guards each origin with its circuit breaker. An open breaker answers circuit_open at once
 * without touching the upstream; after its reset timeout one trial request goes through.
 */
public final class BreakingFetcher implements Fetcher {
  private final Fetcher next;
  private final BreakerRegistry breakers;

  public BreakingFetcher(Fetcher next, BreakerRegistry breakers) {
    this.next = next;
    this.breakers = breakers;
  }

  @Override
  public Future<FetchResponse> fetch(FetchRequest request) {
    String origin = request.origin();
    CircuitBreaker breaker = breakers.forOrigin(origin);
    return breaker.<FetchResponse>execute(() -> next.fetch(request).compose(response ->
            response.status() >= 500
                ? Future.failedFuture(new BreakerRegistry.ServerErrorSignal(response))
                : Future.succeededFuture(response)))
        .recover(t -> {
          if (t instanceof BreakerRegistry.ServerErrorSignal signal) {
            return Future.succeededFuture(signal.response);
          }
          if (t instanceof OpenCircuitException) {
            return Future.failedFuture(new FetchException(ErrorKind.CIRCUIT_OPEN,
                "circuit breaker for " + origin + " is open"));
          }
          return Future.failedFuture(t);
        });
  }
}
