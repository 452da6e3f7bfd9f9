package dev.fanin.cache;

import dev.fanin.fetch.ErrorKind;
import dev.fanin.fetch.FetchException;
import dev.fanin.fetch.FetchRequest;
import dev.fanin.fetch.FetchResponse;
import dev.fanin.fetch.Fetcher;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.util.Map;

/**
 * Concurrent identical GET/HEAD requests share one upstream request: the first one goes out, the
 * others wait for its outcome (each on its own event loop). A failure is shared too; the next
 * request after it starts a new fetch. A leader cancelled because its own client left does not
 * take the others down: they fetch for themselves. A follower makes no attempts of its own; its
 * timings say whose outcome it reports (a shared failure, too, or one its deadline cut short).
 */
public final class CoalescingFetcher implements Fetcher {
  private final Fetcher next;
  private final Vertx vertx;
  private final Map<String, Future<FetchResponse>> inFlight;

  CoalescingFetcher(Fetcher next, Vertx vertx, Map<String, Future<FetchResponse>> inFlight) {
    this.next = next;
    this.vertx = vertx;
    this.inFlight = inFlight;
  }

  @Override
  public Future<FetchResponse> fetch(FetchRequest request) {
    if (request.context().cacheSpec() == null || !request.context().cacheSpec().enabled()
        || (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD)) {
      return next.fetch(request);
    }
    String key = CacheKeys.of(request) + "\nC:" + request.headers().get("If-None-Match")
        + request.headers().get("If-Modified-Since");
    Promise<FetchResponse> mine = Promise.promise();
    Future<FetchResponse> leader = inFlight.putIfAbsent(key, mine.future());
    if (leader == null) {
      Future<FetchResponse> fetched;
      try {
        fetched = next.fetch(request);
      } catch (RuntimeException e) {
        fetched = Future.failedFuture(e);
      }
      fetched.onComplete(ar -> {
        inFlight.remove(key, mine.future());
        mine.handle(ar);
      });
      return mine.future();
    }
    Context here = vertx.getOrCreateContext();
    request.context().timings().coalesced(true);
    Promise<FetchResponse> follower = Promise.promise();
    Runnable unhook = request.context().onCancel(() -> follower.tryFail(request.context().cancellation()));
    leader.onComplete(ar -> here.runOnContext(v -> {
      unhook.run();
      if (follower.future().isComplete()) {
        return;
      }
      if (ar.failed() && FetchException.kindOf(ar.cause()) == ErrorKind.CANCELLED) {
        request.context().timings().coalesced(false);
        next.fetch(request).onComplete(follower);
        return;
      }
      if (ar.succeeded() && !request.context().budget().take(ar.result().body().length())) {
        follower.fail(new FetchException(ErrorKind.TOO_LARGE,
            "the shared answer does not fit: " + request.context().budget().refusal()));
        return;
      }
      follower.handle(ar.map(response -> response.withCache("coalesced", 0)));
    }));
    return follower.future();
  }
}
