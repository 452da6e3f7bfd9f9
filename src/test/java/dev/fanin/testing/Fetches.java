package dev.fanin.testing;

import dev.fanin.fetch.ByteBudget;
import dev.fanin.fetch.ErrorKind;
import dev.fanin.fetch.FetchContext;
import dev.fanin.fetch.FetchException;
import dev.fanin.fetch.FetchRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Requests and contexts for unit tests of the fetch pipeline, and fetches run on an event loop. */
public final class Fetches {
  private Fetches() {}

  /** A context whose deadline is {@code deadlineMs} from now, with a budget and body bound of 1 MiB. */
  public static FetchContext context(long deadlineMs) {
    long now = System.nanoTime();
    return new FetchContext(now, now + TimeUnit.MILLISECONDS.toNanos(deadlineMs), new ByteBudget(1 << 20), 1 << 20);
  }

  public static FetchRequest get(String url, FetchContext context) {
    return request(HttpMethod.GET, url, MultiMap.caseInsensitiveMultiMap(), null, context);
  }

  /** A request with a 1 s attempt timeout and no retries. */
  public static FetchRequest request(HttpMethod method, String url, MultiMap headers, Buffer body,
      FetchContext context) {
    return new FetchRequest("src", method, URI.create(url), headers, body,
        body == null ? null : "application/json", 1000, 0, null, context);
  }

  /** The failure of a completed fetch, which must be a FetchException of this kind. */
  public static FetchException failure(Future<?> fetch, ErrorKind kind) {
    if (!fetch.failed()) {
      throw new AssertionError("expected " + kind.wireName() + ", got " + (fetch.succeeded() ? fetch.result() : "nothing yet"));
    }
    if (!(fetch.cause() instanceof FetchException e) || e.kind() != kind) {
      throw new AssertionError("expected " + kind.wireName() + ", got " + fetch.cause(), fetch.cause());
    }
    return e;
  }

  /** Starts the work on the event loop; the returned future completes with the work's completed future. */
  public static <T> CompletableFuture<Future<T>> start(Context loop, Supplier<Future<T>> work) {
    CompletableFuture<Future<T>> done = new CompletableFuture<>();
    loop.runOnContext(v -> {
      Future<T> f = work.get();
      f.onComplete(ar -> done.complete(f));
    });
    return done;
  }

  /** Runs the action on the event loop and waits (at most 10 s) for it to have run. */
  public static void on(Context loop, Runnable action) {
    run(loop, () -> {
      action.run();
      return Future.succeededFuture();
    });
  }

  /** Runs the work on the event loop and waits (at most 10 s) for its future to complete. */
  public static <T> Future<T> run(Context loop, Supplier<Future<T>> work) {
    try {
      return start(loop, work).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the fetch did not complete within 10 s", e);
    }
  }
}
