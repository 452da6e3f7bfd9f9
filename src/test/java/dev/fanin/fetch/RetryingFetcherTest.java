package dev.fanin.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.config.FaninConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class RetryingFetcherTest {
  /** Backoff of at most 5 ms, so retries that are allowed happen at once. */
  private static final FaninConfig.Retry FAST = new FaninConfig.Retry(1, 5);

  private Vertx vertx;
  private Context loop;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.loop = vertx.getOrCreateContext();
  }

  /** A fake upstream that answers attempt n with step n (the last step repeats). */
  private static final class ScriptedUpstream implements Fetcher {
    private final List<Function<FetchRequest, Future<FetchResponse>>> steps;
    final List<Long> callNanos = new CopyOnWriteArrayList<>();

    @SafeVarargs
    ScriptedUpstream(Function<FetchRequest, Future<FetchResponse>>... steps) {
      this.steps = List.of(steps);
    }

    @Override
    public Future<FetchResponse> fetch(FetchRequest request) {
      request.context().attemptStarted();
      callNanos.add(System.nanoTime());
      return steps.get(Math.min(callNanos.size(), steps.size()) - 1).apply(request);
    }

    int calls() {
      return callNanos.size();
    }
  }

  private static Function<FetchRequest, Future<FetchResponse>> status(int code, String... headerPairs) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.add(headerPairs[i], headerPairs[i + 1]);
    }
    return r -> Future.succeededFuture(new FetchResponse(code, headers, Buffer.buffer("body " + code)));
  }

  private static Function<FetchRequest, Future<FetchResponse>> failing(ErrorKind kind) {
    return r -> Future.failedFuture(new FetchException(kind, kind.wireName()));
  }

  private static Function<FetchRequest, Future<FetchResponse>> failing(Throwable t) {
    return r -> Future.failedFuture(t);
  }

  private static FetchContext context(long deadlineMs) {
    long now = System.nanoTime();
    return new FetchContext(now, now + TimeUnit.MILLISECONDS.toNanos(deadlineMs), new ByteBudget(1 << 20), 1 << 20);
  }

  private static FetchRequest request(HttpMethod method, int retries, FetchContext context) {
    return new FetchRequest("src", method, URI.create("http://127.0.0.1:9/x"),
        MultiMap.caseInsensitiveMultiMap(), null, null, 1000, retries, null, context);
  }

  /** Runs the fetch on one event loop and waits for it to finish. */
  private Future<FetchResponse> run(Fetcher fetcher, FetchRequest request) throws Exception {
    CompletableFuture<Future<FetchResponse>> done = new CompletableFuture<>();
    loop.runOnContext(v -> {
      Future<FetchResponse> f = fetcher.fetch(request);
      f.onComplete(ar -> done.complete(f));
    });
    return done.get(10, TimeUnit.SECONDS);
  }

  private Future<FetchResponse> run(ScriptedUpstream upstream, FaninConfig.Retry retry, FetchRequest request)
      throws Exception {
    return run(new RetryingFetcher(upstream, vertx, retry), request);
  }

  private static int statusOf(Future<FetchResponse> f) {
    assertTrue(f.succeeded(), () -> "failed: " + f.cause());
    return f.result().status();
  }

  private static ErrorKind kindOf(Future<FetchResponse> f) {
    assertTrue(f.failed(), () -> "succeeded with " + f.result());
    return assertInstanceOf(FetchException.class, f.cause()).kind();
  }

  private static long millisBetween(long fromNanos, long toNanos) {
    return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
  }

  // ---- what is retried ----

  @Test
  void retriesUntilSuccessAndCountsAttempts() throws Exception {
    ScriptedUpstream upstream = new ScriptedUpstream(status(503), status(502), status(200));
    FetchContext ctx = context(5000);
    Future<FetchResponse> f = run(upstream, FAST, request(HttpMethod.GET, 3, ctx));
    assertEquals(200, statusOf(f));
    assertEquals(3, upstream.calls());
    assertEquals(3, ctx.attempts());
    assertNull(noteOf(f));
  }

  @Test
  void exhaustedRetriesAnswerTheLastResponse() throws Exception {
    ScriptedUpstream upstream = new ScriptedUpstream(status(504));
    FetchContext ctx = context(5000);
    Future<FetchResponse> f = run(upstream, FAST, request(HttpMethod.GET, 2, ctx));
    assertEquals(504, statusOf(f));
    assertEquals(3, upstream.calls());
    assertEquals(3, ctx.attempts());
  }

  @Test
  void retriesOn429And502And503And504() throws Exception {
    for (int code : new int[] {429, 502, 503, 504}) {
      ScriptedUpstream upstream = new ScriptedUpstream(status(code), status(200));
      assertEquals(200, statusOf(run(upstream, FAST, request(HttpMethod.GET, 1, context(5000)))), "after " + code);
      assertEquals(2, upstream.calls(), "after " + code);
    }
  }

  @Test
  void doesNotRetryOtherStatuses() throws Exception {
    for (int code : new int[] {200, 204, 301, 400, 404, 408, 500, 501, 505}) {
      ScriptedUpstream upstream = new ScriptedUpstream(status(code), status(200));
      assertEquals(code, statusOf(run(upstream, FAST, request(HttpMethod.GET, 3, context(5000)))));
      assertEquals(1, upstream.calls(), "status " + code + " was retried");
    }
  }

  @Test
  void retriesConnectErrors() throws Exception {
    ScriptedUpstream upstream = new ScriptedUpstream(failing(ErrorKind.CONNECT),
        failing(new java.net.ConnectException("Connection refused")), status(200));
    FetchContext ctx = context(5000);
    assertEquals(200, statusOf(run(upstream, FAST, request(HttpMethod.GET, 2, ctx))));
    assertEquals(3, upstream.calls());
    assertEquals(3, ctx.attempts());
  }

  @Test
  void exhaustedRetriesOfConnectErrorsFailWithTheLastError() throws Exception {
    ScriptedUpstream upstream = new ScriptedUpstream(failing(ErrorKind.CONNECT));
    Future<FetchResponse> f = run(upstream, FAST, request(HttpMethod.GET, 2, context(5000)));
    assertEquals(ErrorKind.CONNECT, kindOf(f));
    assertEquals(3, upstream.calls());
  }

  @Test
  void doesNotRetryTimeouts() throws Exception {
    ScriptedUpstream upstream = new ScriptedUpstream(failing(ErrorKind.TIMEOUT), status(200));
    assertEquals(ErrorKind.TIMEOUT, kindOf(run(upstream, FAST, request(HttpMethod.GET, 3, context(5000)))));
    assertEquals(1, upstream.calls());
  }

  @Test
  void doesNotRetryOtherFailureKinds() throws Exception {
    for (ErrorKind kind : new ErrorKind[] {ErrorKind.CIRCUIT_OPEN, ErrorKind.TOO_LARGE,
        ErrorKind.INVALID_BODY, ErrorKind.REJECTED, ErrorKind.CANCELLED}) {
      ScriptedUpstream upstream = new ScriptedUpstream(failing(kind), status(200));
      assertEquals(kind, kindOf(run(upstream, FAST, request(HttpMethod.GET, 3, context(5000)))));
      assertEquals(1, upstream.calls(), kind + " was retried");
    }
  }

  @Test
  void retriesOnlyIdempotentMethods() throws Exception {
    for (HttpMethod m : List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT, HttpMethod.DELETE,
        HttpMethod.OPTIONS)) {
      ScriptedUpstream upstream = new ScriptedUpstream(status(503), status(200));
      assertEquals(200, statusOf(run(upstream, FAST, request(m, 1, context(5000)))), m.name());
      assertEquals(2, upstream.calls(), m.name());
    }
    for (HttpMethod m : List.of(HttpMethod.POST, HttpMethod.PATCH)) {
      ScriptedUpstream answers = new ScriptedUpstream(status(503), status(200));
      assertEquals(503, statusOf(run(answers, FAST, request(m, 3, context(5000)))), m.name());
      assertEquals(1, answers.calls(), m.name() + " was retried");

      ScriptedUpstream refuses = new ScriptedUpstream(failing(ErrorKind.CONNECT), status(200));
      assertEquals(ErrorKind.CONNECT, kindOf(run(refuses, FAST, request(m, 3, context(5000)))));
      assertEquals(1, refuses.calls(), m.name() + " was retried after a connect error");
    }
  }

  @Test
  void zeroRetriesMeansOneAttempt() throws Exception {
    ScriptedUpstream upstream = new ScriptedUpstream(status(503), status(200));
    FetchContext ctx = context(5000);
    assertEquals(503, statusOf(run(upstream, FAST, request(HttpMethod.GET, 0, ctx))));
    assertEquals(1, upstream.calls());
    assertEquals(1, ctx.attempts());
  }

  // ---- Retry-After ----

  @Test
  void retryAfterIsHonouredWhenItFits() throws Exception {
    ScriptedUpstream upstream = new ScriptedUpstream(status(429, "Retry-After", "1"), status(200));
    FetchContext ctx = context(5000);
    assertEquals(200, statusOf(run(upstream, FAST, request(HttpMethod.GET, 1, ctx))));
    assertEquals(2, upstream.calls());
    long waited = millisBetween(upstream.callNanos.get(0), upstream.callNanos.get(1));
    assertTrue(waited >= 950, "waited only " + waited + " ms of a 1 s Retry-After");
    assertTrue(waited < 3000, "waited " + waited + " ms");
  }

  @Test
  void retryAfterThatDoesNotFitGivesUpAtOnceWithANote() throws Exception {
    String later = DateTimeFormatter.RFC_1123_DATE_TIME.format(
        Instant.now().plusSeconds(60).atOffset(ZoneOffset.UTC));
    for (var step : List.of(status(429, "Retry-After", "10"), status(503, "Retry-After", "10"),
        status(503, "Retry-After", later))) {
      ScriptedUpstream upstream = new ScriptedUpstream(step, status(200));
      FetchContext ctx = context(2000);
      long start = System.nanoTime();
      Future<FetchResponse> f = run(upstream, FAST, request(HttpMethod.GET, 3, ctx));
      long took = millisBetween(start, System.nanoTime());
      assertTrue(statusOf(f) == 429 || statusOf(f) == 503);
      assertEquals(1, upstream.calls());
      assertEquals(1, ctx.attempts());
      assertTrue(took < 1000, "gave up only after " + took + " ms");
      assertNotNull(noteOf(f), "no note on why it was not retried");
      assertTrue(noteOf(f).contains("Retry-After"), noteOf(f));
    }
  }

  @Test
  void retryAfterJustOverTheDeadlineIsNotWaited() throws Exception {
    // backoff alone (<= 5 ms) would fit: it is Retry-After that must stop the retry
    ScriptedUpstream upstream = new ScriptedUpstream(status(503, "Retry-After", "1"), status(200));
    FetchContext ctx = context(900);
    Future<FetchResponse> f = run(upstream, FAST, request(HttpMethod.GET, 2, ctx));
    assertEquals(503, statusOf(f));
    assertEquals(1, upstream.calls());
    assertNotNull(noteOf(f));
  }

  @Test
  void retryAfterOn502And504IsNotAReasonToWait() throws Exception {
    for (int code : new int[] {502, 504}) {
      ScriptedUpstream upstream = new ScriptedUpstream(status(code, "Retry-After", "30"), status(200));
      FetchContext ctx = context(2000);
      assertEquals(200, statusOf(run(upstream, FAST, request(HttpMethod.GET, 1, ctx))));
      assertTrue(millisBetween(upstream.callNanos.get(0), upstream.callNanos.get(1)) < 1000);
    }
  }

  @Test
  void unreadableRetryAfterFallsBackToBackoff() throws Exception {
    ScriptedUpstream upstream = new ScriptedUpstream(status(429, "Retry-After", "soon"), status(200));
    assertEquals(200, statusOf(run(upstream, FAST, request(HttpMethod.GET, 1, context(2000)))));
    assertEquals(2, upstream.calls());
  }

  // ---- the deadline ----

  @Test
  void noRetryOnceTheDeadlineHasPassed() throws Exception {
    ScriptedUpstream upstream = new ScriptedUpstream(status(503), status(200));
    FetchContext ctx = context(-10);
    Future<FetchResponse> f = run(upstream, FAST, request(HttpMethod.GET, 3, ctx));
    assertEquals(503, statusOf(f));
    assertEquals(1, upstream.calls());
    assertNotNull(noteOf(f));
    assertTrue(noteOf(f).contains("deadline"), noteOf(f));
  }

  @Test
  void neverSleepsPastTheDeadline() throws Exception {
    // backoff of up to 10 s against a deadline of 300 ms: any sleep that does not fit must be skipped
    FaninConfig.Retry slow = new FaninConfig.Retry(10_000, 10_000);
    for (int round = 0; round < 3; round++) {
      ScriptedUpstream upstream = new ScriptedUpstream(status(503));
      FetchContext ctx = context(300);
      long start = System.nanoTime();
      Future<FetchResponse> f = run(upstream, slow, request(HttpMethod.GET, 5, ctx));
      long took = millisBetween(start, System.nanoTime());
      assertEquals(503, statusOf(f));
      // a backoff of up to 10 s that were slept would show; the slack is for a loaded machine
      assertTrue(took < 300 + 1_000, "finished " + took + " ms after start, deadline 300 ms");
    }
  }

  @Test
  void manySmallBackoffsStopAtTheDeadline() throws Exception {
    FaninConfig.Retry small = new FaninConfig.Retry(40, 40);
    ScriptedUpstream upstream = new ScriptedUpstream(status(503));
    FetchContext ctx = context(250);
    long start = System.nanoTime();
    Future<FetchResponse> f = run(upstream, small, request(HttpMethod.GET, 1000, ctx));
    long took = millisBetween(start, System.nanoTime());
    assertEquals(503, statusOf(f));
    // 1,000 retries 40 ms apart would take 40 s; the slack is for a loaded machine
    assertTrue(took < 250 + 1_000, "finished " + took + " ms after start, deadline 250 ms");
    assertTrue(upstream.calls() < 1001, "ran out of retries instead of stopping at the deadline");
    assertEquals(upstream.calls(), ctx.attempts());
    assertNotNull(noteOf(f));
  }

  @Test
  void backoffIsCappedAndJittered() {
    RetryingFetcher f = new RetryingFetcher(r -> Future.failedFuture("unused"), vertx,
        new FaninConfig.Retry(100, 2000));
    for (int n = 0; n < 40; n++) {
      long first = f.backoff(0);
      assertTrue(first >= 0 && first <= 100, "first backoff " + first);
      long late = f.backoff(30);
      assertTrue(late >= 0 && late <= 2000, "capped backoff " + late);
    }
  }

  // ---- cancellation ----

  @Test
  void cancellationDuringBackoffStopsIt() throws Exception {
    FetchException cancelled = new FetchException(ErrorKind.CANCELLED, "client went away");
    ScriptedUpstream upstream = new ScriptedUpstream(r -> {
      vertx.setTimer(50, t -> r.context().cancel(cancelled));
      return status(429, "Retry-After", "3").apply(r);
    }, status(200));
    FetchContext ctx = context(5000);
    long start = System.nanoTime();
    Future<FetchResponse> f = run(upstream, FAST, request(HttpMethod.GET, 3, ctx));
    long took = millisBetween(start, System.nanoTime());
    assertTrue(f.failed(), "expected the cancellation, got " + f.result());
    assertSame(cancelled, f.cause());
    assertTrue(took < 2_000, "the cancelled backoff still ran for " + took + " ms of its 3 s");

    // the 3 s backoff timer must be gone: no second attempt after it would have fired
    CompletableFuture<Void> later = new CompletableFuture<>();
    vertx.setTimer(3_200, t -> later.complete(null));
    later.get(5, TimeUnit.SECONDS);
    assertEquals(1, upstream.calls());
    assertEquals(1, ctx.attempts());
  }

  @Test
  void alreadyCancelledSourceIsNotRetried() throws Exception {
    ScriptedUpstream upstream = new ScriptedUpstream(r -> {
      r.context().cancel(new FetchException(ErrorKind.CANCELLED, "gone"));
      return Future.failedFuture(new FetchException(ErrorKind.CONNECT, "refused"));
    }, status(200));
    run(upstream, FAST, request(HttpMethod.GET, 3, context(5000)));
    assertEquals(1, upstream.calls());
  }

  /** Why the outcome was not retried (the notes the retry decorator attached), or null. */
  static String noteOf(Future<FetchResponse> f) {
    List<String> notes = f.succeeded() ? f.result().notes() : FetchException.notesOf(f.cause());
    return notes.isEmpty() ? null : String.join("; ", notes);
  }

  @Test
  void theBackoffIsTimedAfterTheAttemptItFollowsAndTheNextAttemptBeginsAfterIt() throws Exception {
    ScriptedUpstream upstream = new ScriptedUpstream(status(503, "Retry-After", "1"), status(200));
    FetchContext context = context(5_000);
    Fetcher limited = new LimitingFetcher(upstream, new AsyncSemaphore(1));
    assertEquals(200, statusOf(run(new RetryingFetcher(limited, vertx, FAST), request(HttpMethod.GET, 1, context))));
    Timings t = context.timings();
    assertEquals(2, t.attempts());
    long ms = TimeUnit.MILLISECONDS.toNanos(1);
    long backoff = t.nanos(0, Timings.Phase.BACKOFF);
    assertTrue(backoff >= 1_000 * ms && backoff < 4_000 * ms, "the Retry-After was waited: " + backoff);
    assertEquals(0, t.nanos(1, Timings.Phase.BACKOFF));
    long gap = t.startNanos(1) - t.startNanos(0);
    assertTrue(gap >= backoff && gap < backoff + 100 * ms, "the second attempt began after the backoff: " + gap);
    assertTrue(t.sent(0) && t.sent(1));
  }
}
