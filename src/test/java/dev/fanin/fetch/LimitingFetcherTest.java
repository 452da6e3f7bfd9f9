package dev.fanin.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.Fetches;
import dev.fanin.testing.ScriptedFetcher;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An aggregation's concurrency limit: at most N in flight, the rest in order, a cancelled waiter out of line. */
@ExtendWith(VertxExtension.class)
class LimitingFetcherTest {
  Context loop;
  final Queue<Promise<FetchResponse>> held = ScriptedFetcher.promises();
  final ScriptedFetcher upstream = new ScriptedFetcher(ScriptedFetcher.held(held));
  final AsyncSemaphore permits = new AsyncSemaphore(2);
  final LimitingFetcher limited = new LimitingFetcher(upstream, permits);

  @BeforeEach
  void setUp(Vertx vertx) {
    loop = vertx.getOrCreateContext();
  }

  CompletableFuture<Future<FetchResponse>> start(FetchRequest request) {
    return Fetches.start(loop, () -> limited.fetch(request));
  }

  /** Starts sources /0 … /n-1 and waits until the limit has let through what it lets through. */
  List<CompletableFuture<Future<FetchResponse>>> startSources(int n) {
    List<CompletableFuture<Future<FetchResponse>>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(start(Fetches.get("http://a.example/" + i, Fetches.context(5000))));
    }
    Fetches.on(loop, () -> { });
    return all;
  }

  void answerOldest() {
    Promise<FetchResponse> p = held.poll();
    Fetches.on(loop, () -> p.complete(new FetchResponse(200, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer())));
  }

  List<String> sentPaths() {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < upstream.calls(); i++) {
      paths.add(upstream.request(i).url().getPath());
    }
    return paths;
  }

  @Test
  void atMostTheLimitIsInFlightAndTheRestGoInOrderAsOthersEnd() throws Exception {
    var all = startSources(4);
    assertEquals(List.of("/0", "/1"), sentPaths());
    assertEquals(2, permits.waiting());
    answerOldest();
    assertEquals(List.of("/0", "/1", "/2"), sentPaths());
    assertTrue(all.get(0).get(5, TimeUnit.SECONDS).succeeded());
    answerOldest();
    assertEquals(List.of("/0", "/1", "/2", "/3"), sentPaths());
  }

  @Test
  void aFailedRequestGivesItsPermitBackToo() {
    startSources(3);
    Promise<FetchResponse> first = held.poll();
    Fetches.on(loop, () -> first.fail(new FetchException(ErrorKind.CONNECT, "refused")));
    assertEquals(List.of("/0", "/1", "/2"), sentPaths());
  }

  @Test
  void aCancelledWaiterLeavesTheLineWithoutBeingSent() throws Exception {
    startSources(2);
    FetchRequest waiting = Fetches.get("http://a.example/waiting", Fetches.context(5000));
    var cancelled = start(waiting);
    FetchException gone = new FetchException(ErrorKind.CANCELLED, "the client left");
    Fetches.on(loop, () -> waiting.context().cancel(gone));
    Future<FetchResponse> outcome = cancelled.get(5, TimeUnit.SECONDS);
    assertSame(gone, outcome.cause());
    answerOldest();
    answerOldest();
    assertEquals(List.of("/0", "/1"), sentPaths());
    assertEquals(2, permits.available(), "the permits are all back");
  }

  @Test
  void anAlreadyCancelledSourceTakesNoPermit() throws Exception {
    FetchRequest request = Fetches.get("http://a.example/late", Fetches.context(5000));
    FetchException gone = new FetchException(ErrorKind.CANCELLED, "the client left");
    request.context().cancel(gone);
    assertSame(gone, start(request).get(5, TimeUnit.SECONDS).cause());
    assertEquals(0, upstream.calls());
    assertEquals(2, permits.available());
  }

  @Test
  void eachAttemptBeginsHereAndAWaiterShowsItsWaitForASlot() throws Exception {
    FetchContext first = Fetches.context(5000);
    FetchContext third = Fetches.context(5000);
    start(Fetches.get("http://a.example/0", first));
    start(Fetches.get("http://a.example/1", Fetches.context(5000)));
    var waiting = start(Fetches.get("http://a.example/2", third));
    Fetches.on(loop, () -> { });
    Thread.sleep(60);
    answerOldest(); // its slot goes to /2
    answerOldest();
    answerOldest();
    assertTrue(waiting.get(5, TimeUnit.SECONDS).succeeded());
    assertEquals(1, first.timings().attempts());
    assertEquals(0, first.timings().nanos(0, Timings.Phase.SLOT));
    assertEquals(1, third.timings().attempts());
    long slot = third.timings().nanos(0, Timings.Phase.SLOT);
    assertTrue(slot >= TimeUnit.MILLISECONDS.toNanos(60) && slot < TimeUnit.SECONDS.toNanos(5), "slot " + slot);
  }
}
