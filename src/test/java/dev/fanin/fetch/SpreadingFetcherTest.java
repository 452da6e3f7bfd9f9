package dev.fanin.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.pipeline.FetchPipeline;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which event loop sends a request: every lane in turn for a large aggregation, results back home. */
class SpreadingFetcherTest {
  Vertx vertx;
  final List<Context> loops = new ArrayList<>();
  static final long ANSWER_MS = 50;
  final List<Context> sentOn = new CopyOnWriteArrayList<>();
  /** The context each exchange ran with: the source's own, or its copy on another lane. */
  final List<FetchContext> sentWith = new CopyOnWriteArrayList<>();
  final Lanes lanes = new Lanes();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    for (int i = 0; i < 2; i++) {
      vertx.deployVerticle(new VerticleBase() {
        @Override
        public Future<?> start() {
          loops.add(context);
          lanes.add(context, request -> {
            sentOn.add(Vertx.currentContext());
            sentWith.add(request.context());
            request.context().attemptStarted();
            Timings timings = request.context().timings();
            timings.enter(Timings.Phase.HEAD);
            Promise<FetchResponse> answer = Promise.promise();
            vertx.setTimer(ANSWER_MS, t -> {
              timings.leave();
              answer.complete(new FetchResponse(200, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer()));
            });
            return answer.future();
          });
          return Future.succeededFuture();
        }
      }).await();
    }
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  static FetchRequest request(FetchContext context) {
    return new FetchRequest("s", HttpMethod.GET, URI.create("http://a.example/"), MultiMap.caseInsensitiveMultiMap(),
        null, null, 1000, 0, null, context);
  }

  @Test
  void onlyLargeAggregationsSpread() {
    assertFalse(FetchPipeline.spreads(64, FetchPipeline.SPREAD_MIN_SOURCES - 1));
    assertFalse(FetchPipeline.spreads(1, 1000), "one at a time gains nothing from another loop");
    assertTrue(FetchPipeline.spreads(64, FetchPipeline.SPREAD_MIN_SOURCES));
  }

  @Test
  void requestsGoRoundRobinOverTheLanesAndTheirOutcomesComeBackToTheAggregationsLoop() throws Exception {
    Context home = loops.get(0);
    List<Context> completedOn = new CopyOnWriteArrayList<>();
    List<FetchContext> contexts = new CopyOnWriteArrayList<>();
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(4);
    home.runOnContext(v -> {
      SpreadingFetcher spreading = new SpreadingFetcher(lanes.snapshot().get(0).http(), lanes.snapshot());
      long now = System.nanoTime();
      for (int i = 0; i < 4; i++) {
        FetchContext context = new FetchContext(now, now + TimeUnit.SECONDS.toNanos(5), new ByteBudget(1024), 1024);
        contexts.add(context);
        spreading.fetch(request(context)).onComplete(ar -> {
          completedOn.add(Vertx.currentContext());
          done.countDown();
        });
      }
    });
    assertTrue(done.await(5, TimeUnit.SECONDS));
    assertEquals(2, sentOn.stream().filter(c -> c == loops.get(0)).count());
    assertEquals(2, sentOn.stream().filter(c -> c == loops.get(1)).count());
    assertTrue(completedOn.stream().allMatch(c -> c == home), "outcomes are read on the aggregation's loop");
    assertTrue(contexts.stream().allMatch(c -> c.attempts() == 1), "attempts made on another loop are counted back");
  }

  /** Sends two sources from the first loop: the first stays on it, the second goes to the other lane. */
  List<FetchContext> sendTwo(java.util.concurrent.CountDownLatch done) {
    List<FetchContext> contexts = new CopyOnWriteArrayList<>();
    loops.get(0).runOnContext(v -> {
      SpreadingFetcher spreading = new SpreadingFetcher(lanes.snapshot().get(0).http(), lanes.snapshot());
      long now = System.nanoTime();
      for (int i = 0; i < 2; i++) {
        FetchContext context = new FetchContext(now, now + TimeUnit.SECONDS.toNanos(5), new ByteBudget(1024), 1024);
        contexts.add(context);
        context.timings().begin();
        spreading.fetch(request(context)).onComplete(ar -> done.countDown());
      }
    });
    return contexts;
  }

  @Test
  void anExchangeOnAnotherLaneBringsItsTimingsBackToTheSourcesAttempt() throws Exception {
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(2);
    List<FetchContext> contexts = sendTwo(done);
    assertTrue(done.await(5, TimeUnit.SECONDS));
    FetchContext local = contexts.get(0);
    FetchContext remote = contexts.get(1);
    assertTrue(sentWith.get(0) == local && sentWith.get(1) != remote, "the second ran on a copy");
    FetchContext copy = sentWith.get(1);
    for (FetchContext c : contexts) {
      assertEquals(1, c.timings().attempts());
      assertTrue(c.timings().sent(0));
      assertTrue(c.timings().nanos(0, Timings.Phase.HEAD) >= TimeUnit.MILLISECONDS.toNanos(ANSWER_MS));
    }
    assertEquals(copy.timings().nanos(0, Timings.Phase.HEAD), remote.timings().nanos(0, Timings.Phase.HEAD),
        "the lane's own head time, without the stand-in this side counted meanwhile");
  }

  @Test
  void aSourceEndedWhileItsExchangeRunsOnAnotherLaneCountsItAsWaitingForTheHead() throws Exception {
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(2);
    List<FetchContext> contexts = sendTwo(done);
    // both sent (the remote one's stand-in head began before its lane saw it), then half an answer's time
    assertTrue(dev.fanin.testing.Eventually.eventually(5_000, () -> sentWith.size() == 2), "sent " + sentWith.size());
    Thread.sleep(ANSWER_MS / 2);
    FetchContext remote = contexts.get(1);
    java.util.concurrent.CompletableFuture<Long> head = new java.util.concurrent.CompletableFuture<>();
    loops.get(0).runOnContext(v -> head.complete(remote.timings().freeze("upstream").nanos(0, Timings.Phase.HEAD)));
    long frozen = head.get(5, TimeUnit.SECONDS);
    assertTrue(frozen >= TimeUnit.MILLISECONDS.toNanos(ANSWER_MS / 2), "head " + frozen);
    assertTrue(done.await(5, TimeUnit.SECONDS));
    assertEquals(frozen, remote.timings().nanos(0, Timings.Phase.HEAD), "what came back later changed nothing");
  }
}
