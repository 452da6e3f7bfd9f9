package dev.fanin.fetch;

import io.vertx.core.Future;

/**
 * The one fetch interface. The HTTP call implements it and every policy (breaker, retry, limit,
 * and later guard and cache) wraps another Fetcher, so the aggregator knows none of them.
 */
@FunctionalInterface
public interface Fetcher {
  Future<FetchResponse> fetch(FetchRequest request);
}
