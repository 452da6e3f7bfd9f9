package dev.fanin.http;

import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninExtension;
import dev.fanin.testing.FaninHarness;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A source must never reach fanin's own API: not through the demo (which has a listener of its own
 * and no exception on the API port), and not by pointing straight at fanin when private networks
 * are allowed (fanin marks its requests with a Via entry and refuses them with 508).
 */
class SelfAccessTest {
  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withoutFanin().resetCountersBeforeEach();

  /** Private networks refused, as by default. */
  static FaninHarness guarded;
  /** Private networks allowed: only the loop mark stands between a source and fanin's API. */
  static FaninHarness open;
  static FaninHarness other;

  @BeforeAll
  static void startFanins() {
    guarded = fixture.startFanin(new JsonObject().put("upstream",
        new JsonObject().put("allowPrivateNetworks", false)));
    open = fixture.startFanin(new JsonObject());
    other = fixture.startFanin(new JsonObject());
  }

  private static JsonObject plantFeed(String url) {
    return source("w", url).put("method", "PUT")
        .put("body", definition(source("a", fixture.upstream().url("planted=1"))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"%2e%2e", "%2E%2e", ".%2e", "%2e.", "..%2f", "%2e%2e%2f", "/./../", "/../",
      "//..//", "..%5c", "%5c..%5c", "%252e%252e", ".."})
  void noDotSegmentSpellingReachesTheApiThroughTheDemo(String dots) {
    String path = "/demo/" + dots + "/v1/feeds/planted";
    JsonObject def = definition(
        plantFeed("http://127.0.0.1:" + guarded.fanin.port() + path),
        plantFeed("http://quotes.demo.localhost" + path));
    HttpResponse<Buffer> res = guarded.aggregate(def);
    assertNotEquals(200, res.statusCode(), res.bodyAsString());
    if (res.statusCode() != 400) {
      JsonObject results = res.bodyAsJsonObject().getJsonObject("results");
      for (String id : results.fieldNames()) {
        assertFalse(results.getJsonObject(id).getString("status").equals("ok"), results.encode());
      }
    }
    assertEquals(404, guarded.client.get("/v1/feeds/planted").send().await().statusCode());
    assertEquals(0, fixture.upstream().requests.get());
  }

  @Test
  void theApiPortNoLongerServesTheDemo() {
    assertEquals(404, guarded.client.get("/demo/quotes/BTC").send().await().statusCode());
    JsonObject def = definition(source("q", "http://127.0.0.1:" + guarded.fanin.port() + "/demo/quotes/BTC"));
    JsonObject result = guarded.aggregate(def).bodyAsJsonObject().getJsonObject("results").getJsonObject("q");
    assertEquals("rejected", result.getJsonObject("error").getString("kind"), result.encode());
  }

  @Test
  void aRecursiveAggregationIsRefusedOnEveryRouteAndNothingIsServed() {
    String self = "http://127.0.0.1:" + open.fanin.port();
    JsonObject inner = definition(source("leaf", fixture.upstream().url("inner=1")));
    assertEquals(201, open.client.put("/v1/feeds/inner").putHeader("Content-Type", "application/json")
        .sendBuffer(inner.toBuffer()).await().statusCode());
    JsonObject def = definition(
        source("aggregate", self + "/v1/aggregate").put("method", "POST").put("body", inner),
        source("feedGet", self + "/v1/feeds/inner/aggregate"),
        source("feedPost", self + "/v1/feeds/inner/aggregate").put("method", "POST").put("body", new JsonObject()),
        source("plant", self + "/v1/feeds/planted").put("method", "PUT").put("body", inner),
        source("list", self + "/v1/feeds"),
        source("health", self + "/health"));
    JsonObject results = open.aggregate(def).bodyAsJsonObject().getJsonObject("results");
    for (String id : results.fieldNames()) {
      JsonObject r = results.getJsonObject(id);
      assertEquals(508, r.getInteger("httpStatus"), r.encode());
      assertTrue(r.getJsonObject("data").getString("detail").contains(open.fanin.loopMark().pseudonym()),
          r.encode());
    }
    assertEquals(0, fixture.upstream().requests.get(), "the inner aggregations never ran");
    assertEquals(404, open.client.get("/v1/feeds/planted").send().await().statusCode());
  }

  @Test
  void aLoopThroughAnotherFaninIsSeenWhereItStarted() {
    String self = "http://127.0.0.1:" + open.fanin.port();
    String there = "http://127.0.0.1:" + other.fanin.port();
    JsonObject back = definition(source("back", self + "/v1/aggregate").put("method", "POST")
        .put("body", definition(source("leaf", fixture.upstream().url("loop=1")))));
    JsonObject def = definition(source("hop", there + "/v1/aggregate").put("method", "POST").put("body", back));
    JsonObject hop = open.aggregate(def).bodyAsJsonObject().getJsonObject("results").getJsonObject("hop");
    JsonObject returned = hop.getJsonObject("data").getJsonObject("results").getJsonObject("back");
    assertEquals(508, returned.getInteger("httpStatus"), hop.encode());
    assertEquals(0, fixture.upstream().requests.get());
  }

  @Test
  void upstreamsSeeTheViaTheClientSentPlusFaninsOwnEntry() {
    HttpResponse<Buffer> res = open.client.request(HttpMethod.POST, "/v1/aggregate")
        .putHeader("Content-Type", "application/json").putHeader("Via", "1.1 edge-proxy")
        .sendBuffer(definition(source("a", fixture.upstream().url("via=1"))).toBuffer()).await();
    assertEquals(200, res.statusCode(), res.bodyAsString());
    assertEquals("1.1 edge-proxy, 1.1 " + open.fanin.loopMark().pseudonym(),
        fixture.upstream().lastRequest().headers().get("Via"));
  }
}
