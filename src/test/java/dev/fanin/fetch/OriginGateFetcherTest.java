package dev.fanin.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.Gates;
import dev.fanin.testing.Fetches;
import dev.fanin.testing.ScriptedFetcher;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The origin's turn for the whole process: a bounded queue, left at the deadline or on cancellation. */
@ExtendWith(VertxExtension.class)
class OriginGateFetcherTest {
  static final String A = "http://a.example/x";
  Vertx vertx;
  Context loop;
  final Queue<Promise<FetchResponse>> held = ScriptedFetcher.promises();
  final ScriptedFetcher upstream = new ScriptedFetcher(ScriptedFetcher.held(held));
  OriginGates gates;
  OriginGateFetcher gated;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.loop = vertx.getOrCreateContext();
    // one request in flight per origin, at most two waiting in the whole process
    this.gates = Gates.fixed(vertx, 1, 2);
    this.gated = new OriginGateFetcher(upstream, gates, vertx);
  }

  /** Starts a fetch of its own aggregation (its own fairness group) and lets the loop run it. */
  CompletableFuture<Future<FetchResponse>> start(String url, FetchContext context) {
    var started = Fetches.start(loop, () -> gated.fetch(Fetches.get(url, context)));
    Fetches.on(loop, () -> { });
    return started;
  }

  CompletableFuture<Future<FetchResponse>> start(String url) {
    return start(url, Fetches.context(5000));
  }

  void answerOldest() {
    Promise<FetchResponse> p = held.poll();
    Fetches.on(loop, () -> p.complete(new FetchResponse(200, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer())));
  }

  static FetchException failure(CompletableFuture<Future<FetchResponse>> f, ErrorKind kind) throws Exception {
    return Fetches.failure(f.get(5, TimeUnit.SECONDS), kind);
  }

  @Test
  void requestsToABusyOriginWaitForItsTurnWhileOtherOriginsGoAtOnce() throws Exception {
    var first = start(A);
    var second = start(A);
    start("http://b.example/y");
    assertEquals(2, upstream.calls(), "a.example's second request waits; b.example's goes");
    assertEquals(1, gates.waiting());
    answerOldest();
    assertTrue(first.get(5, TimeUnit.SECONDS).succeeded());
    Fetches.on(loop, () -> { });
    assertEquals(3, upstream.calls(), "the turn passed to the waiting request");
    assertEquals(A, upstream.last().url().toString());
    assertEquals(0, gates.waiting());
    assertFalse(second.isDone());
  }

  @Test
  void aSourceWhoseDeadlinePassesWhileItWaitsTimesOutWithoutJudgingTheOrigin() throws Exception {
    start(A);
    FetchException timeout = failure(start(A, Fetches.context(100)), ErrorKind.TIMEOUT);
    assertFalse(timeout.judgesOrigin(), "the origin was not asked: its breaker must not count this");
    assertTrue(timeout.getMessage().contains("waited") && timeout.getMessage().contains("client.maxConnectionsPerOrigin"),
        timeout.getMessage());
    assertEquals(0, gates.waiting());
    answerOldest();
    Fetches.on(loop, () -> { });
    assertEquals(1, upstream.calls(), "a source that gave up is never sent");
  }

  @Test
  void aCancelledWaiterLeavesTheQueue() throws Exception {
    start(A);
    FetchContext context = Fetches.context(5000);
    var waiting = start(A, context);
    FetchException gone = new FetchException(ErrorKind.CANCELLED, "the client left");
    Fetches.on(loop, () -> context.cancel(gone));
    assertSame(gone, failure(waiting, ErrorKind.CANCELLED));
    assertEquals(0, gates.waiting());
    answerOldest();
    Fetches.on(loop, () -> { });
    assertEquals(1, upstream.calls());
  }

  @Test
  void whenTheProcesssWaitingLineIsFullARequestIsRejectedAtOnce() throws Exception {
    start(A);
    start(A);
    start(A);
    FetchException rejected = failure(start(A), ErrorKind.REJECTED);
    assertTrue(rejected.getMessage().contains("client.maxWaitQueue"), rejected.getMessage());
    assertEquals(2, gates.waiting());
  }

  @Test
  void aRequestShowsItsWaitForTheOriginsTurnAndOneThatGaveUpShowsItToo() throws Exception {
    FetchContext first = Fetches.context(5000);
    FetchContext second = Fetches.context(5000);
    start(A, first);
    var waiting = start(A, second);
    FetchContext late = Fetches.context(150);
    failure(start(A, late), ErrorKind.TIMEOUT);
    answerOldest();
    assertTrue(dev.fanin.testing.Eventually.eventually(5_000, () -> !held.isEmpty()), "the turn never passed on");
    answerOldest();
    assertTrue(waiting.get(5, TimeUnit.SECONDS).succeeded());
    long ms = TimeUnit.MILLISECONDS.toNanos(1);
    assertEquals(0, first.timings().nanos(0, Timings.Phase.ORIGIN) / ms, "its turn came at once");
    long waited = second.timings().nanos(0, Timings.Phase.ORIGIN);
    assertTrue(waited >= 140 * ms && waited < 5_000 * ms, "the second waited for the first: " + waited);
    assertEquals(1, late.timings().attempts());
    long gaveUp = late.timings().freeze("upstream").nanos(0, Timings.Phase.ORIGIN);
    assertTrue(gaveUp >= 120 * ms && gaveUp < 5_000 * ms, "a source its deadline ended shows its wait: " + gaveUp);
    assertFalse(late.timings().sent(0));
  }

  void answerOldest(int status, String retryAfter) {
    Promise<FetchResponse> p = held.poll();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Retry-After", retryAfter);
    Fetches.on(loop, () -> p.complete(new FetchResponse(status, headers, Buffer.buffer())));
  }

  long throttles() {
    return gates.snapshot(10).stream().mapToLong(OriginSnapshot::throttles).sum();
  }

  @Test
  void a503WithRetryAfterZeroIsAnOverloadNotAThrottleThatTeachesARate() throws Exception {
    // "unavailable, try again now" says nothing of a rate: pacing it would slow the origin down for nothing
    var first = start(A);
    answerOldest(503, "0");
    assertEquals(503, first.get(5, TimeUnit.SECONDS).toCompletionStage().toCompletableFuture().get().status());
    assertEquals(0, throttles());
    var second = start(A);
    answerOldest(503, "1");
    second.get(5, TimeUnit.SECONDS).toCompletionStage().toCompletableFuture().get();
    assertEquals(1, throttles(), "a Retry-After of a second pauses the origin and counts as a throttle");
  }
}
