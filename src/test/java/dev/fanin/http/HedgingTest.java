package dev.fanin.http;

import static dev.fanin.testing.Eventually.eventually;
import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninExtension;
import dev.fanin.testing.FaninHarness;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hedged requests through the whole service: a slow first request is overtaken by a second one,
 * which wins and resets the first (the upstream sees it close); the attempts and timings show both;
 * the hedge budget bounds them; a percentile hedge waits for what the origin usually takes; an
 * operator rule hedges an origin's requests; only GET and HEAD are hedged.
 */
class HedgingTest {
  /** upstream(0): sources hedge; upstream(1): its rule hedges after 100 ms. */
  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withoutFanin().upstreams(2);
  static FaninHarness fanin;

  @BeforeAll
  static void start() {
    // two intake event loops: a large aggregation sends from both (lanes)
    fanin = fixture.startFanin(new JsonObject().put("http", new JsonObject().put("instances", 2))
        .put("upstream", new JsonObject().put("hedgeBudgetPercent", 100)
        .put("origins", new JsonArray().add(new JsonObject().put("match", "127.0.0.1:" + fixture.upstream(1).port())
            .put("hedge", new JsonObject().put("afterMs", 100))))));
  }

  static String path(int upstream, String name, String query) {
    return "http://127.0.0.1:" + fixture.upstream(upstream).port() + "/" + name + "?" + query;
  }

  static JsonObject only(JsonObject definition) {
    HttpResponse<Buffer> res = fanin.aggregate(definition);
    JsonObject results = res.bodyAsJsonObject().getJsonObject("results");
    return results.getJsonObject(results.fieldNames().iterator().next());
  }

  @Test
  void aSlowFirstRequestIsOvertakenByTheHedgeWhichWinsAndResetsIt() {
    String key = UUID.randomUUID().toString();
    String name = "slow-" + key;
    long t0 = System.nanoTime();
    JsonObject r = only(definition(source("s", path(0, name, "key=" + key + "&slowFirst=1&slowMs=5000&delay=10"))
        .put("hedge", new JsonObject().put("afterMs", 100)).put("retries", 0)));
    long tookMs = (System.nanoTime() - t0) / 1_000_000;
    assertEquals("ok", r.getString("status"), r.encode());
    assertTrue(tookMs < 3_000, "the hedge answered, not the 5 s request: " + tookMs + " ms");
    assertEquals(2, r.getInteger("attempts"), "both requests count: " + r.encode());
    JsonArray attempts = r.getJsonObject("timings").getJsonArray("attempts");
    assertEquals(2, attempts.size(), attempts.encode());
    double secondStart = attempts.getJsonObject(1).getDouble("startMs") - attempts.getJsonObject(0).getDouble("startMs");
    assertTrue(secondStart >= 90, "the second began after the hedge delay: " + attempts.encode());
    assertEquals(2, fixture.upstream(0).path("/" + name).requests.get());
    assertTrue(eventually(5_000, () -> fixture.upstream(0).path("/" + name).inFlight.get() == 0),
        "the slow loser was reset, not left running");
  }

  @Test
  void aFastAnswerSendsNoHedge() {
    String name = "fast-" + UUID.randomUUID();
    JsonObject r = only(definition(source("f", path(0, name, "delay=5"))
        .put("hedge", new JsonObject().put("afterMs", 300))));
    assertEquals(1, r.getInteger("attempts"));
    assertEquals(1, fixture.upstream(0).path("/" + name).requests.get());
  }

  @Test
  void aPercentileHedgeWaitsUntilTheOriginsLatencyIsKnownThenFiresPastIt() {
    String name = "p-" + UUID.randomUUID();
    // 25 answers of about 20 ms teach the origin's p95; until then nothing is hedged
    JsonArray warm = new JsonArray();
    for (int i = 0; i < 25; i++) {
      warm.add(source("w" + i, path(0, name, "delay=20&i=" + i)).put("hedge", new JsonObject().put("after", "p95")));
    }
    JsonObject warmed = fanin.aggregate(new JsonObject().put("sources", warm)).bodyAsJsonObject();
    assertEquals(25, fixture.upstream(0).path("/" + name).requests.get(), "no hedge before 20 answers: " + warmed);
    String key = UUID.randomUUID().toString();
    JsonObject r = only(definition(source("s", path(0, name, "key=" + key + "&slowFirst=1&slowMs=5000&delay=20"))
        .put("hedge", new JsonObject().put("after", "p95")).put("retries", 0)));
    assertEquals("ok", r.getString("status"), r.encode());
    assertEquals(2, r.getInteger("attempts"), r.encode());
  }

  @Test
  void anOperatorRuleHedgesItsOriginsRequests() {
    String key = UUID.randomUUID().toString();
    JsonObject r = only(definition(source("s", path(1, "rule-" + key, "key=" + key + "&slowFirst=1&slowMs=5000"))
        .put("retries", 0)));
    assertEquals("ok", r.getString("status"), r.encode());
    assertEquals(2, r.getInteger("attempts"), r.encode());
    assertTrue(fanin.client.get("/v1/origins").send().await().bodyAsString().contains("\"hedge\":{\"afterMs\":100}"));
  }

  @Test
  void postIsNeverHedgedAndABadHedgeIsRefusedNamingTheField() {
    JsonObject post = source("p", path(0, "post", "delay=1")).put("method", "POST").put("body", "x")
        .put("hedge", new JsonObject().put("afterMs", 50));
    HttpResponse<Buffer> res = fanin.aggregate(definition(post));
    assertEquals(400, res.statusCode());
    assertTrue(res.bodyAsString().contains("/sources/0/hedge"), res.bodyAsString());
    res = fanin.aggregate(definition(source("g", path(0, "g", "")).put("hedge",
        new JsonObject().put("after", "p100"))));
    assertEquals(400, res.statusCode());
    assertTrue(res.bodyAsString().contains("/sources/0/hedge/after"), res.bodyAsString());
  }

  @Test
  void inALargeAggregationSentFromEveryLaneTheLosersAttemptCountsToo() {
    // half the sources' first requests are slow, on both lanes (sources go to lanes in turn): the other lane's
    // losers report back one hop late; 8 hedges fit the origin's saved budget of 10
    JsonArray sources = new JsonArray();
    for (int i = 0; i < 16; i++) {
      String key = UUID.randomUUID().toString();
      String query = i % 4 < 2 ? "key=" + key + "&slowFirst=1&slowMs=5000&delay=5" : "delay=5&k=" + key;
      sources.add(source("s" + i, path(0, "lanes", query)).put("hedge", new JsonObject().put("afterMs", 150))
          .put("retries", 0));
    }
    JsonObject results = fanin.aggregate(new JsonObject().put("sources", sources)).bodyAsJsonObject()
        .getJsonObject("results");
    for (String id : results.fieldNames()) {
      JsonObject r = results.getJsonObject(id);
      int expected = Integer.parseInt(id.substring(1)) % 4 < 2 ? 2 : 1;
      assertEquals("ok", r.getString("status"), r.encode());
      assertEquals(expected, r.getInteger("attempts"), r.encode());
      assertEquals(expected, r.getJsonObject("timings").getJsonArray("attempts").size(), r.encode());
    }
  }

  @Test
  void aHarOfAHedgedSourceHasAnEntryForEachRequest() {
    String key = UUID.randomUUID().toString();
    JsonObject def = definition(source("s", path(0, "har-" + key, "key=" + key + "&slowFirst=1&slowMs=5000&delay=10"))
        .put("hedge", new JsonObject().put("afterMs", 100)).put("retries", 0));
    JsonObject har = fanin.post("/v1/aggregate", "application/json", "application/har+json", def.toBuffer())
        .bodyAsJsonObject();
    JsonArray entries = har.getJsonObject("log").getJsonArray("entries");
    assertEquals(2, entries.size(), entries.encode());
    assertEquals(0, entries.getJsonObject(0).getInteger("_attempt"), entries.encode());
    assertEquals(1, entries.getJsonObject(1).getInteger("_attempt"), entries.encode());
  }
}
