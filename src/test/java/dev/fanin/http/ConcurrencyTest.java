package dev.fanin.http;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sources run concurrently; the concurrency setting bounds them like a semaphore. */
class ConcurrencyTest {
  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withDefaults().resetCountersBeforeEach();

  @BeforeAll
  static void warmUp() {
    // warm the JIT and the connection pool so the timings below measure concurrency, not start-up
    fixture.fanin().aggregate(sources(20, "delay=1"));
  }

  @Test
  void fiftySourcesOfOneSecondFinishTogether() {
    HttpResponse<Buffer> res = fixture.fanin().aggregate(sources(50, "delay=1000"));
    JsonObject body = res.bodyAsJsonObject();
    assertEquals(200, res.statusCode());
    assertEquals(true, body.getBoolean("complete"));
    assertEquals(50, body.getJsonObject("results").size());
    long duration = body.getLong("durationMs");
    // one round of 1 s, not two: that all 50 were in flight at once is the upstream's count below
    assertTrue(duration >= 1000 && duration < 2_000, "50 × 1 s took " + duration + " ms");
    assertEquals(50, fixture.upstream().maxInFlight.get());
  }

  @Test
  void concurrencyFiveRunsTwentySourcesInFourRounds() {
    JsonObject def = sources(20, "delay=200").put("concurrency", 5);
    HttpResponse<Buffer> res = fixture.fanin().aggregate(def);
    JsonObject body = res.bodyAsJsonObject();
    assertEquals(200, res.statusCode());
    long duration = body.getLong("durationMs");
    // at least 4 rounds of 200 ms, and far from one at a time (20 × 200 ms = 4 s)
    assertTrue(duration >= 640 && duration < 2_000, "4 rounds of 200 ms took " + duration + " ms");
    assertEquals(5, fixture.upstream().maxInFlight.get(), "the upstream saw more than 5 requests at once");
    assertEquals(20, fixture.upstream().requests.get());
  }

  @Test
  void resultsKeepDefinitionOrderAndCarryTheUpstreamJson() {
    JsonObject def = definition(
        source("b", fixture.upstream().url("delay=100&body=%7B%22n%22%3A2%7D")),
        source("a", fixture.upstream().url("body=%5B1%2C2%5D")),
        source("t", fixture.upstream().url("type=text/plain&body=hello")));
    JsonObject results = fixture.fanin().aggregate(def).bodyAsJsonObject().getJsonObject("results");
    assertEquals(java.util.List.of("b", "a", "t"), new java.util.ArrayList<>(results.fieldNames()));
    assertEquals(2, results.getJsonObject("b").getJsonObject("data").getInteger("n"));
    assertEquals(new JsonArray().add(1).add(2), results.getJsonObject("a").getJsonArray("data"));
    assertEquals("hello", results.getJsonObject("t").getString("data"));
    JsonObject b = results.getJsonObject("b");
    assertEquals("ok", b.getString("status"));
    assertEquals(200, b.getInteger("httpStatus"));
    assertEquals(1, b.getInteger("attempts"));
    assertTrue(b.getLong("latencyMs") >= 100);
  }

  static JsonObject sources(int n, String query) {
    return FaninHarness.sources(fixture.upstream(), n, query);
  }
}
