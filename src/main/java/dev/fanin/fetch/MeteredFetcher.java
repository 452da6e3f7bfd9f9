package dev.fanin.fetch;

import dev.fanin.metrics.FaninMetrics;
import io.vertx.core.Future;

/** Times every upstream attempt by origin and outcome (status class or error kind). */
public final class MeteredFetcher implements Fetcher {
  private final Fetcher next;
  private final FaninMetrics metrics;

  public MeteredFetcher(Fetcher next, FaninMetrics metrics) {
    this.next = next;
    this.metrics = metrics;
  }

  @Override
  public Future<FetchResponse> fetch(FetchRequest request) {
    long start = System.nanoTime();
    return next.fetch(request).andThen(ar -> {
      String outcome = ar.succeeded()
          ? (ar.result().status() / 100) + "xx"
          : FetchException.kindOf(ar.cause()).wireName();
      metrics.upstream(request.origin(), outcome, System.nanoTime() - start);
    });
  }
}
