package dev.fanin.http;

import static dev.fanin.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninExtension;
import dev.fanin.testing.FaninHarness;
import dev.fanin.testing.HarSchema;
import io.vertx.core.json.JsonArray;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With two intake event loops, a large aggregation sends from both loops' clients (lanes), while
 * its deadline, cancellation, byte budget and attempt counts still hold for every source.
 */
class LaneSpreadingTest {
  // two lanes; at most 8 requests in flight to one origin, whichever lane sends them
  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withConfig(new JsonObject()
      .put("http", new JsonObject().put("instances", 2))
      .put("client", new JsonObject().put("maxConnectionsPerOrigin", 8))
      // the deadline test times sources out on purpose: keep the breaker out of the other tests
      .put("breaker", new JsonObject().put("maxFailures", 100_000)))
      .resetCountersBeforeEach();

  static JsonObject sources(int n, String query) {
    return FaninHarness.sources(fixture.upstream(), n, query);
  }

  @Test
  void aLargeAggregationUsesTheConnectionPoolsOfBothLoops() {
    HttpResponse<Buffer> res = fixture.fanin().aggregate(sources(16, "delay=300"));
    assertEquals(200, res.statusCode(), res.bodyAsString());
    JsonObject results = res.bodyAsJsonObject().getJsonObject("results");
    // the origin's turn allows 8 in flight, whichever lane sends them (which lane: SpreadingFetcherTest)
    assertEquals(8, fixture.upstream().maxInFlight.get(), "requests in flight at once");
    for (String id : results.fieldNames()) {
      assertEquals("ok", results.getJsonObject(id).getString("status"));
      assertEquals(1, results.getJsonObject(id).getInteger("attempts"), id);
    }
  }

  @Test
  void aHarAnswerListsTheExchangesSentFromTheOtherLoopToo() {
    HttpResponse<Buffer> res = fixture.fanin().post("/v1/aggregate", "application/json", "application/har+json",
        sources(16, "delay=10").toBuffer());
    assertEquals(200, res.statusCode(), res.bodyAsString());
    JsonObject har = res.bodyAsJsonObject();
    HarSchema.assertValid(har);
    JsonArray entries = har.getJsonObject("log").getJsonArray("entries");
    assertEquals(16, entries.size(), "one entry per source, whichever loop sent it");
    for (int i = 0; i < entries.size(); i++) {
      JsonObject e = entries.getJsonObject(i);
      assertEquals("s" + i, e.getString("_sourceId"));
      assertEquals(0, e.getInteger("_attempt"));
      assertEquals(200, e.getJsonObject("response").getInteger("status"));
      assertTrue(e.getJsonObject("timings").getDouble("wait") >= 9, e.encode());
    }
  }

  @Test
  void theDeadlineEndsSourcesSentFromTheOtherLoopAndResetsTheirConnections() {
    JsonObject slow = sources(16, "delay=5000").put("deadlineMs", 300);
    long started = System.currentTimeMillis();
    HttpResponse<Buffer> res = fixture.fanin().aggregate(slow);
    long took = System.currentTimeMillis() - started;
    assertTrue(took < 2_000, "answered at the deadline, took " + took + " ms");
    JsonObject results = res.bodyAsJsonObject().getJsonObject("results");
    for (String id : results.fieldNames()) {
      assertEquals("timeout", results.getJsonObject(id).getJsonObject("error").getString("kind"), id);
    }
    // the 8 requests in flight (4 per loop) are reset, so the upstream sees their connections close
    assertTrue(eventually(3_000, () -> fixture.upstream().connectionsClosed.get() >= 8),
        "connections reset: " + fixture.upstream().connectionsClosed.get());
  }

  @Test
  void theByteBudgetIsSharedByBothLoops() {
    // 16 bodies of 10 KB against a 40 KB budget: whatever the loop, no more than 4 fit
    FaninHarness tight = new FaninHarness(fixture.vertx(), new JsonObject()
        .put("http", new JsonObject().put("instances", 2))
        .put("aggregate", new JsonObject().put("maxAggregateBytes", 40_000)));
    try {
      JsonObject results = tight.aggregate(sources(16, "size=10000")).bodyAsJsonObject().getJsonObject("results");
      int ok = 0;
      int tooLarge = 0;
      for (String id : results.fieldNames()) {
        JsonObject r = results.getJsonObject(id);
        if ("ok".equals(r.getString("status"))) {
          ok++;
        } else if ("too_large".equals(r.getJsonObject("error").getString("kind"))) {
          tooLarge++;
        }
      }
      assertTrue(ok <= 4 && ok >= 1, "at most 4 bodies of 10 KB fit 40 KB, got " + ok);
      assertEquals(16, ok + tooLarge);
    } finally {
      tight.stop();
    }
  }
}
