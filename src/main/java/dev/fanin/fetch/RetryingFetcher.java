package dev.fanin.fetch;

import dev.fanin.config.FaninConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import io.vertx.core.AsyncResult;
import java.util.function.Supplier;

/**
 * Retries idempotent requests on connect errors and on 429, 502, 503 and 504, with exponential
 * backoff and full jitter, never past the deadline; a soft limit (see SoftLimit) like a 429. A 429
 * or 503 with Retry-After waits exactly that long when it fits before the deadline, and otherwise
 * gives up at once (a Retry-After of 0 gets the usual backoff). Requests refused by the origin's
 * pace (rate_limited, nothing sent) are not retried: their wait would not fit either. The wait is
 * the backoff after the attempt in its timings.
 */
public final class RetryingFetcher implements Fetcher {
  private static final Set<HttpMethod> IDEMPOTENT =
      Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.OPTIONS);
  private static final Set<Integer> RETRY_STATUS = Set.of(429, 502, 503, 504);

  private final Fetcher next;
  private final Vertx vertx;
  private final Supplier<FaninConfig.Retry> config;

  public RetryingFetcher(Fetcher next, Vertx vertx, FaninConfig.Retry config) {
    this(next, vertx, () -> config);
  }

  /** Reads the backoff from the running configuration at each retry. */
  public RetryingFetcher(Fetcher next, Vertx vertx, Supplier<FaninConfig.Retry> config) {
    this.next = next;
    this.vertx = vertx;
    this.config = config;
  }

  @Override
  public Future<FetchResponse> fetch(FetchRequest request) {
    if (request.retries() == 0 || !IDEMPOTENT.contains(request.method())) {
      return next.fetch(request);
    }
    return attempt(request, 0);
  }

  private Future<FetchResponse> attempt(FetchRequest request, int retriesDone) {
    return next.fetch(request).transform(ar -> {
      if (retriesDone >= request.retries()) {
        return settled(ar, null);
      }
      Decision decision = decide(request, ar.succeeded() ? ar.result() : null, ar.cause(), retriesDone);
      if (decision.delayMs() < 0) {
        return settled(ar, decision.note());
      }
      return sleep(request.context(), decision.delayMs()).compose(v -> attempt(request, retriesDone + 1));
    });
  }

  /** The outcome as it is, with the reason it was not retried when there is one to tell. */
  private static Future<FetchResponse> settled(AsyncResult<FetchResponse> ar, String note) {
    if (ar.succeeded()) {
      return Future.succeededFuture(note == null ? ar.result() : ar.result().withNote(note));
    }
    return Future.failedFuture(note == null ? ar.cause() : FetchException.noted(ar.cause(), note));
  }

  /** Wait this long before the next attempt, or (-1) settle, with a note on why not. */
  private record Decision(long delayMs, String note) {
    static final Decision FINAL = new Decision(-1, null);
  }

  private Decision decide(FetchRequest request, FetchResponse response, Throwable failure, int retriesDone) {
    FetchContext context = request.context();
    if (context.isCancelled()) {
      return Decision.FINAL;
    }
    if (response != null) {
      if (!RETRY_STATUS.contains(response.status())) {
        return Decision.FINAL;
      }
      if (response.status() == 429 || response.status() == 503) {
        long wait = RetryAfter.millis(response.headers().get("Retry-After"), Instant.now());
        if (wait > 0) { // a Retry-After of 0 gets the usual backoff: retries never come at once
          return wait >= context.remainingMs()
              ? new Decision(-1, "Retry-After of " + wait + " ms does not fit in the deadline; not retried")
              : new Decision(wait, null);
        }
      }
    } else if (FetchException.kindOf(failure) != ErrorKind.CONNECT && !softLimit(failure)) {
      return Decision.FINAL;
    }
    long delay = backoff(retriesDone);
    return delay >= context.remainingMs()
        ? new Decision(-1, "the next retry would pass the deadline; not retried")
        : new Decision(delay, null);
  }

  /** A soft limit (the origin answered that its limit was hit) is retried like a 429. */
  private static boolean softLimit(Throwable failure) {
    return FetchException.kindOf(failure) == ErrorKind.RATE_LIMITED && FetchException.statusOf(failure) != 0;
  }

  /** Full jitter: uniform in [0, min(max, initial * 2^n)]. */
  long backoff(int retriesDone) {
    FaninConfig.Retry retry = config.get();
    long cap = Math.min((long) retry.maxBackoffMs(),
        (long) retry.initialBackoffMs() << Math.min(retriesDone, 20));
    return ThreadLocalRandom.current().nextLong(cap + 1);
  }

  private Future<Void> sleep(FetchContext context, long delay) {
    Promise<Void> woken = Promise.promise();
    if (delay == 0) {
      woken.complete();
      return woken.future();
    }
    Timings timings = context.timings();
    timings.enter(Timings.Phase.BACKOFF);
    long timer = vertx.setTimer(delay, t -> woken.tryComplete());
    Runnable unhook = context.onCancel(() -> {
      vertx.cancelTimer(timer);
      woken.tryFail(context.cancellation());
    });
    return woken.future().andThen(ar -> {
      timings.leave(Timings.Phase.BACKOFF);
      unhook.run();
    });
  }
}
