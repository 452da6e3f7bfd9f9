package dev.fanin.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.config.ConfigLoader;
import dev.fanin.config.FaninConfig;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class BreakingFetcherTest {
  private static final int MAX_FAILURES = 3;
  private static final int RESET_TIMEOUT_MS = 200;
  private static final String ORIGIN = "http://127.0.0.1:9";

  private Vertx vertx;
  private Context loop;
  private BreakerRegistry breakers;
  private FakeUpstream upstream;
  private BreakingFetcher fetcher;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.loop = vertx.getOrCreateContext();
    // breaker.* from the real config loader, with a small threshold and a short reset timeout
    FaninConfig.Breaker config = ConfigLoader.fromJson(new JsonObject().put("breaker", new JsonObject()
        .put("maxFailures", MAX_FAILURES)
        .put("resetTimeoutMs", RESET_TIMEOUT_MS)
        .put("rollingWindowMs", 10_000))).breaker();
    this.breakers = new BreakerRegistry(vertx, config, dev.fanin.metrics.FaninMetrics.standalone());
    this.upstream = new FakeUpstream();
    this.fetcher = new BreakingFetcher(upstream, breakers);
  }

  /** Answers with whatever {@link #answer} says and counts the calls. */
  private static final class FakeUpstream implements Fetcher {
    final AtomicInteger calls = new AtomicInteger();
    volatile Function<FetchRequest, Future<FetchResponse>> answer = status(200);

    @Override
    public Future<FetchResponse> fetch(FetchRequest request) {
      calls.incrementAndGet();
      return answer.apply(request);
    }
  }

  private static Function<FetchRequest, Future<FetchResponse>> status(int code) {
    return r -> Future.succeededFuture(
        new FetchResponse(code, MultiMap.caseInsensitiveMultiMap().add("X-Status", "" + code),
            Buffer.buffer("answer " + code)));
  }

  private static Function<FetchRequest, Future<FetchResponse>> failing(ErrorKind kind) {
    return r -> Future.failedFuture(new FetchException(kind, kind.wireName()));
  }

  private static FetchRequest request(String origin) {
    long now = System.nanoTime();
    FetchContext context = new FetchContext(now, now + TimeUnit.SECONDS.toNanos(10), new ByteBudget(1 << 20), 1 << 20);
    return new FetchRequest("src", HttpMethod.GET, URI.create(origin + "/path"),
        MultiMap.caseInsensitiveMultiMap(), null, null, 1000, 0, null, context);
  }

  /** Starts a fetch on the event loop without waiting for it. */
  private CompletableFuture<Future<FetchResponse>> start(String origin) {
    CompletableFuture<Future<FetchResponse>> done = new CompletableFuture<>();
    loop.runOnContext(v -> {
      Future<FetchResponse> f = fetcher.fetch(request(origin));
      f.onComplete(ar -> done.complete(f));
    });
    return done;
  }

  private Future<FetchResponse> fetch(String origin) throws Exception {
    return start(origin).get(5, TimeUnit.SECONDS);
  }

  private Future<FetchResponse> fetch() throws Exception {
    return fetch(ORIGIN);
  }

  private CircuitBreakerState state() {
    return breakers.forOrigin(ORIGIN).state();
  }

  private static FetchResponse response(Future<FetchResponse> f) {
    assertTrue(f.succeeded(), () -> "failed: " + f.cause());
    return f.result();
  }

  private static ErrorKind kindOf(Future<FetchResponse> f) {
    assertTrue(f.failed(), () -> "succeeded with " + f.result());
    return assertInstanceOf(FetchException.class, f.cause()).kind();
  }

  private void open() throws Exception {
    upstream.answer = status(503);
    for (int i = 0; i < MAX_FAILURES; i++) {
      fetch();
    }
    assertEquals(CircuitBreakerState.OPEN, state());
  }

  private void awaitState(CircuitBreakerState wanted) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (state() != wanted && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertEquals(wanted, state());
  }

  @Test
  void serverErrorsAreReturnedAsResponsesAndOpenTheBreaker() throws Exception {
    upstream.answer = status(500);
    for (int i = 1; i <= MAX_FAILURES; i++) {
      FetchResponse r = response(fetch());
      assertEquals(500, r.status());
      assertEquals("answer 500", r.body().toString());
      assertEquals("500", r.headers().get("X-Status"));
      assertEquals(i < MAX_FAILURES ? CircuitBreakerState.CLOSED : CircuitBreakerState.OPEN, state(),
          "after " + i + " failures");
    }
    assertEquals(MAX_FAILURES, upstream.calls.get());
  }

  @Test
  void openBreakerAnswersCircuitOpenWithoutCallingUpstream() throws Exception {
    open();
    int before = upstream.calls.get();
    upstream.answer = status(200);
    for (int i = 0; i < 5; i++) {
      Future<FetchResponse> f = fetch();
      assertEquals(ErrorKind.CIRCUIT_OPEN, kindOf(f));
      assertTrue(f.cause().getMessage().contains("127.0.0.1:9"), f.cause().getMessage());
    }
    assertEquals(before, upstream.calls.get());
  }

  @Test
  void connectErrorsOpenTheBreaker() throws Exception {
    upstream.answer = failing(ErrorKind.CONNECT);
    for (int i = 0; i < MAX_FAILURES; i++) {
      assertEquals(ErrorKind.CONNECT, kindOf(fetch()));
    }
    assertEquals(CircuitBreakerState.OPEN, state());
  }

  @Test
  void transportExceptionsCountAsConnectErrors() throws Exception {
    upstream.answer = r -> Future.failedFuture(new java.net.ConnectException("Connection refused"));
    for (int i = 0; i < MAX_FAILURES; i++) {
      assertInstanceOf(java.net.ConnectException.class, fetch().cause());
    }
    assertEquals(CircuitBreakerState.OPEN, state());
  }

  @Test
  void timeoutsOpenTheBreaker() throws Exception {
    upstream.answer = failing(ErrorKind.TIMEOUT);
    for (int i = 0; i < MAX_FAILURES; i++) {
      assertEquals(ErrorKind.TIMEOUT, kindOf(fetch()));
    }
    assertEquals(CircuitBreakerState.OPEN, state());
  }

  @Test
  void clientErrorsDoNotCount() throws Exception {
    for (int code : new int[] {400, 401, 403, 404, 409, 429}) {
      upstream.answer = status(code);
      for (int i = 0; i < MAX_FAILURES * 2; i++) {
        assertEquals(code, response(fetch()).status());
      }
    }
    assertEquals(CircuitBreakerState.CLOSED, state());
    assertEquals(0, breakers.forOrigin(ORIGIN).failureCount());
    assertEquals(6 * MAX_FAILURES * 2, upstream.calls.get());
  }

  @Test
  void tooLargeAndOtherOwnRefusalsDoNotCount() throws Exception {
    for (ErrorKind kind : new ErrorKind[] {ErrorKind.TOO_LARGE, ErrorKind.CANCELLED, ErrorKind.REJECTED}) {
      upstream.answer = failing(kind);
      for (int i = 0; i < MAX_FAILURES * 2; i++) {
        assertEquals(kind, kindOf(fetch()));
      }
      assertEquals(CircuitBreakerState.CLOSED, state(), kind + " opened the breaker");
    }
  }

  @Test
  void failuresAreMixedButCounted() throws Exception {
    upstream.answer = status(502);
    fetch();
    upstream.answer = failing(ErrorKind.TIMEOUT);
    fetch();
    assertEquals(CircuitBreakerState.CLOSED, state());
    upstream.answer = failing(ErrorKind.CONNECT);
    fetch();
    assertEquals(CircuitBreakerState.OPEN, state());
  }

  @Test
  void afterResetTimeoutOneTrialPassesAndSuccessCloses() throws Exception {
    open();
    awaitState(CircuitBreakerState.HALF_OPEN);
    int before = upstream.calls.get();

    Promise<FetchResponse> trial = Promise.promise();
    upstream.answer = r -> trial.future();
    CompletableFuture<Future<FetchResponse>> first = start(ORIGIN);
    // while the trial is in flight, everyone else is still turned away
    Future<FetchResponse> second = fetch();
    assertEquals(ErrorKind.CIRCUIT_OPEN, kindOf(second));
    assertEquals(before + 1, upstream.calls.get());
    assertFalse(first.isDone());

    loop.runOnContext(v -> trial.complete(new FetchResponse(200, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer("ok"))));
    assertEquals(200, response(first.get(5, TimeUnit.SECONDS)).status());
    assertEquals(CircuitBreakerState.CLOSED, state());

    upstream.answer = status(200);
    assertEquals(200, response(fetch()).status());
    assertEquals(before + 2, upstream.calls.get());
  }

  @Test
  void failedTrialOpensAgain() throws Exception {
    open();
    awaitState(CircuitBreakerState.HALF_OPEN);
    upstream.answer = status(503);
    assertEquals(503, response(fetch()).status());
    assertEquals(CircuitBreakerState.OPEN, state());
    int calls = upstream.calls.get();
    assertEquals(ErrorKind.CIRCUIT_OPEN, kindOf(fetch()));
    assertEquals(calls, upstream.calls.get());
  }

  @Test
  void breakersArePerOrigin() throws Exception {
    open();
    upstream.answer = status(200);
    assertEquals(ErrorKind.CIRCUIT_OPEN, kindOf(fetch(ORIGIN)));
    assertEquals(200, response(fetch("http://127.0.0.1:10")).status());
    assertEquals(200, response(fetch("https://127.0.0.1:9")).status());
    // same origin spelled differently shares the breaker
    assertEquals(ErrorKind.CIRCUIT_OPEN, kindOf(fetch("HTTP://127.0.0.1:9")));
  }
}
