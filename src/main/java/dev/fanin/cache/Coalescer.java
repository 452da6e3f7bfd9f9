package dev.fanin.cache;

import dev.fanin.fetch.FetchResponse;
import dev.fanin.fetch.Fetcher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The process-wide table of upstream requests in flight that identical requests may join. */
public final class Coalescer {
  private final Vertx vertx;
  private final Map<String, Future<FetchResponse>> inFlight = new ConcurrentHashMap<>();

  public Coalescer(Vertx vertx) {
    this.vertx = vertx;
  }

  /** A fetcher that joins identical requests in flight before calling {@code next}. */
  public Fetcher wrap(Fetcher next) {
    return new CoalescingFetcher(next, vertx, inFlight);
  }

  public int inFlight() {
    return inFlight.size();
  }
}
