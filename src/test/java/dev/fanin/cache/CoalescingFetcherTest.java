package dev.fanin.cache;

import static dev.fanin.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.definition.CacheSpec;
import dev.fanin.fetch.ByteBudget;
import dev.fanin.fetch.ErrorKind;
import dev.fanin.fetch.FetchContext;
import dev.fanin.fetch.FetchException;
import dev.fanin.fetch.FetchRequest;
import dev.fanin.fetch.FetchResponse;
import dev.fanin.fetch.Fetcher;
import dev.fanin.testing.Fetches;
import dev.fanin.testing.ScriptedFetcher;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Identical requests in flight share one upstream request: its answer, its failure, not its cancellation. */
@ExtendWith(VertxExtension.class)
class CoalescingFetcherTest {
  static final CacheSpec CACHED = new CacheSpec(true, 60_000, 0);
  Vertx vertx;
  Context loop;
  Coalescer coalescer;
  final Queue<Promise<FetchResponse>> held = ScriptedFetcher.promises();
  final ScriptedFetcher upstream = new ScriptedFetcher(ScriptedFetcher.held(held));
  Fetcher fetcher;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.loop = vertx.getOrCreateContext();
    this.coalescer = new Coalescer(vertx);
    this.fetcher = coalescer.wrap(upstream);
  }

  static FetchRequest request(HttpMethod method, FetchContext context, String... headerPairs) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.add(headerPairs[i], headerPairs[i + 1]);
    }
    return Fetches.request(method, "http://a.example/x", headers, null, context);
  }

  static FetchRequest get(String... headerPairs) {
    return request(HttpMethod.GET, Fetches.context(5000).cacheSpec(CACHED), headerPairs);
  }

  CompletableFuture<Future<FetchResponse>> start(FetchRequest request) {
    return Fetches.start(loop, () -> fetcher.fetch(request));
  }

  /** Waits until the upstream was asked {@code calls} times. */
  void asked(int calls) {
    assertTrue(eventually(5_000, () -> upstream.calls() >= calls), "upstream calls: " + upstream.calls());
    assertEquals(calls, upstream.calls());
  }

  /** Completes the oldest request held at the upstream, on the event loop. */
  void answer(int status) {
    Promise<FetchResponse> p = held.poll();
    Fetches.on(loop, () -> p.complete(new FetchResponse(status, MultiMap.caseInsensitiveMultiMap(),
        Buffer.buffer("answer " + status))));
  }

  void fail(FetchException e) {
    Promise<FetchResponse> p = held.poll();
    Fetches.on(loop, () -> p.fail(e));
  }

  static FetchResponse ok(CompletableFuture<Future<FetchResponse>> f) throws Exception {
    Future<FetchResponse> done = f.get(5, TimeUnit.SECONDS);
    assertTrue(done.succeeded(), () -> "failed: " + done.cause());
    return done.result();
  }

  static Throwable failure(CompletableFuture<Future<FetchResponse>> f) throws Exception {
    Future<FetchResponse> done = f.get(5, TimeUnit.SECONDS);
    assertTrue(done.failed(), () -> "succeeded with " + done.result());
    return done.cause();
  }

  @Test
  void identicalRequestsInFlightShareOneUpstreamRequest() throws Exception {
    var leader = start(get());
    var follower = start(get());
    asked(1);
    assertEquals(1, coalescer.inFlight());
    answer(200);
    assertEquals("miss", ok(leader).cache());
    FetchResponse shared = ok(follower);
    assertEquals("coalesced", shared.cache());
    assertEquals("answer 200", shared.body().toString());
    assertEquals(0, coalescer.inFlight(), "a finished request leaves the table");
  }

  @Test
  void requestsWithOtherHeadersOrOtherConditionsAreNotJoined() throws Exception {
    var alice = start(get("X-API-Key", "alice"));
    var bob = start(get("X-API-Key", "bob"));
    var conditional = start(get("X-API-Key", "alice", "If-None-Match", "\"v1\""));
    asked(3);
    answer(200);
    answer(200);
    answer(304);
    assertEquals("miss", ok(alice).cache());
    assertEquals("miss", ok(bob).cache());
    assertEquals(304, ok(conditional).status());
  }

  @Test
  void requestsThatMayNotUseTheCacheAreNotJoined() throws Exception {
    FetchRequest[] requests = {request(HttpMethod.POST, Fetches.context(5000).cacheSpec(CACHED)),
        request(HttpMethod.GET, Fetches.context(5000)),
        request(HttpMethod.GET, Fetches.context(5000).cacheSpec(new CacheSpec(false, 0, 0)))};
    for (FetchRequest request : requests) {
      start(request);
      start(request);
    }
    asked(6);
  }

  @Test
  void aFailureIsSharedAndTheNextRequestFetchesAgain() throws Exception {
    var leader = start(get());
    var follower = start(get());
    asked(1);
    FetchException refused = new FetchException(ErrorKind.CONNECT, "refused");
    fail(refused);
    assertSame(refused, failure(leader));
    assertSame(refused, failure(follower));
    var later = start(get());
    asked(2);
    answer(200);
    assertEquals("miss", ok(later).cache());
  }

  @Test
  void aLeaderCancelledByItsOwnClientDoesNotTakeTheOthersDown() throws Exception {
    var leader = start(get());
    var follower = start(get());
    asked(1);
    fail(new FetchException(ErrorKind.CANCELLED, "the leader's client left"));
    assertEquals(ErrorKind.CANCELLED, FetchException.kindOf(failure(leader)));
    asked(2);
    answer(200);
    assertEquals(200, ok(follower).status(), "the follower fetched for itself");
  }

  @Test
  void aFollowerCancelledWhileWaitingLeavesAndTheLeaderGoesOn() throws Exception {
    FetchRequest followerRequest = get();
    var leader = start(get());
    var follower = start(followerRequest);
    asked(1);
    FetchException gone = new FetchException(ErrorKind.CANCELLED, "the follower's client left");
    Fetches.on(loop, () -> followerRequest.context().cancel(gone));
    assertSame(gone, failure(follower));
    answer(200);
    assertEquals(200, ok(leader).status());
    assertEquals(1, upstream.calls());
  }

  @Test
  void aFollowerWhoseBudgetCannotHoldTheSharedAnswerFailsTooLarge() throws Exception {
    long now = System.nanoTime();
    FetchContext small = new FetchContext(now, now + TimeUnit.SECONDS.toNanos(5), new ByteBudget(4), 1 << 20)
        .cacheSpec(CACHED);
    var leader = start(get());
    var follower = start(request(HttpMethod.GET, small));
    asked(1);
    answer(200);
    assertEquals(200, ok(leader).status());
    FetchException tooLarge = assertInstanceOf(FetchException.class, failure(follower));
    assertEquals(ErrorKind.TOO_LARGE, tooLarge.kind());
    assertTrue(tooLarge.getMessage().contains("maxAggregateBytes"), tooLarge.getMessage());
  }

  @Test
  void aFollowerHearsTheOutcomeOnItsOwnEventLoop() throws Exception {
    Context other = vertx.getOrCreateContext();
    AtomicReference<Context> heardOn = new AtomicReference<>();
    var leader = start(get());
    var follower = Fetches.start(other, () -> fetcher.fetch(get()).andThen(ar -> heardOn.set(Vertx.currentContext())));
    asked(1);
    answer(200);
    ok(leader);
    assertEquals("coalesced", ok(follower).cache());
    assertSame(other, heardOn.get());
  }

  @Test
  void aFollowersTimingsSayItsOutcomeIsAnotherRequestsUnlessItHadToFetchForItself() throws Exception {
    FetchRequest leaderRequest = get();
    FetchRequest followerRequest = get();
    var leader = start(leaderRequest);
    var follower = start(followerRequest);
    asked(1);
    FetchException refused = new FetchException(ErrorKind.CONNECT, "refused");
    fail(refused);
    assertSame(refused, failure(follower));
    failure(leader);
    assertFalse(leaderRequest.context().timings().isCoalesced());
    assertTrue(followerRequest.context().timings().isCoalesced(), "a shared failure is the other request's too");
    assertEquals(0, followerRequest.context().timings().attempts(), "a follower makes no attempt of its own");

    FetchRequest orphan = get();
    var cancelledLeader = start(get());
    var alone = start(orphan);
    asked(2);
    fail(new FetchException(ErrorKind.CANCELLED, "the leader's client left"));
    failure(cancelledLeader);
    asked(3);
    answer(200);
    ok(alone);
    assertFalse(orphan.context().timings().isCoalesced(), "it fetched for itself");
  }
}
