package dev.fanin.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.pipeline.FetchPipeline;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
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
  final List<Context> sentOn = new CopyOnWriteArrayList<>();
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
            request.context().attemptStarted();
            return Future.succeededFuture(new FetchResponse(200, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer()));
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
}
