package dev.fanin.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.config.FaninConfig;
import dev.fanin.metrics.FaninMetrics;
import dev.fanin.testing.Fetches;
import dev.fanin.testing.ScriptedFetcher;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A client's upstream budget as a fetcher: a request waits for its client's slot, and says how long. */
@ExtendWith(VertxExtension.class)
class ClientBudgetFetcherTest {
  static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  Context loop;
  final Queue<Promise<FetchResponse>> held = ScriptedFetcher.promises();
  final ScriptedFetcher upstream = new ScriptedFetcher(ScriptedFetcher.held(held));
  ClientBudgetFetcher budgeted;

  @BeforeEach
  void setUp(Vertx vertx) {
    loop = vertx.getOrCreateContext();
    // no rate, one request in flight per client
    FaninConfig.Security security = new FaninConfig.Security(List.of(), true, 0, 0,
        new FaninConfig.ClientBudget(0, 0, 1, 100, 100));
    budgeted = new ClientBudgetFetcher(upstream, new ClientBudgets(vertx, () -> security, FaninMetrics.standalone()), vertx);
  }

  CompletableFuture<Future<FetchResponse>> start(FetchContext context) {
    var started = Fetches.start(loop, () -> budgeted.fetch(Fetches.get("http://a.example/x", context)));
    Fetches.on(loop, () -> { });
    return started;
  }

  void answerOldest() {
    Promise<FetchResponse> p = held.poll();
    Fetches.on(loop, () -> p.complete(new FetchResponse(200, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer())));
  }

  @Test
  void aRequestWaitingForItsClientsSlotShowsTheWaitAndOneThatGaveUpToo() throws Exception {
    FetchContext first = Fetches.context(5000).budgetHolder("key:k");
    FetchContext second = Fetches.context(5000).budgetHolder("key:k");
    start(first);
    var waiting = start(second);
    FetchContext late = Fetches.context(150).budgetHolder("key:k");
    Fetches.failure(start(late).get(5, TimeUnit.SECONDS), ErrorKind.RATE_LIMITED);
    assertEquals(1, upstream.calls());
    answerOldest();
    assertTrue(dev.fanin.testing.Eventually.eventually(5_000, () -> !held.isEmpty()), "the turn never passed on");
    answerOldest();
    assertTrue(waiting.get(5, TimeUnit.SECONDS).succeeded());
    // its slot was free (what it shows is the allowance's first use: its meters are registered)
    assertTrue(first.timings().nanos(0, Timings.Phase.BUDGET) < 100 * MS, "its slot was free");
    long waited = second.timings().nanos(0, Timings.Phase.BUDGET);
    assertTrue(waited >= 140 * MS && waited < 5_000 * MS, "the second waited for the first: " + waited);
    long gaveUp = late.timings().freeze("upstream").nanos(0, Timings.Phase.BUDGET);
    assertTrue(gaveUp >= 120 * MS && gaveUp < 5_000 * MS, "a source that was refused shows its wait: " + gaveUp);
    assertFalse(late.timings().sent(0));
  }
}
