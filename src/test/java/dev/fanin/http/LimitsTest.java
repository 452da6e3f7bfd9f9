package dev.fanin.http;

import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FakeUpstream;
import dev.fanin.testing.FaninHarness;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Process-wide bounds: upstream requests in flight (the bulkhead) and request header count. */
class LimitsTest {
  static Vertx vertx;
  static FakeUpstream upstream;
  static FaninHarness fanin;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    upstream = new FakeUpstream(vertx).start();
    fanin = new FaninHarness(vertx, new JsonObject()
        .put("client", new JsonObject().put("maxConnections", 2))
        .put("http", new JsonObject().put("maxHeaders", 20)));
  }

  @AfterAll
  static void stop() {
    fanin.stop();
    upstream.stop();
    vertx.close().await();
  }

  @Test
  void upstreamRequestsBeyondTheProcessBoundAreRejectedNotQueued() {
    JsonArray sources = new JsonArray();
    for (int i = 0; i < 5; i++) {
      sources.add(source("s" + i, upstream.url("delay=300&i=" + i)));
    }
    JsonObject results = fanin.aggregate(new JsonObject().put("sources", sources))
        .bodyAsJsonObject().getJsonObject("results");
    int ok = 0;
    int rejected = 0;
    for (String id : results.fieldNames()) {
      JsonObject r = results.getJsonObject(id);
      if (r.getString("status").equals("ok")) {
        ok++;
      } else {
        assertEquals("rejected", r.getJsonObject("error").getString("kind"));
        assertTrue(r.getJsonObject("error").getString("message").contains("client.maxConnections"));
        rejected++;
      }
    }
    assertEquals(2, ok);
    assertEquals(3, rejected);
    assertTrue(upstream.maxInFlight.get() <= 2);
    // the slots are given back: a later aggregation runs normally
    assertEquals(200, fanin.aggregate(FaninHarness.definition(source("a", upstream.url("")))).statusCode());
  }

  @Test
  void tooManyRequestHeadersGet431() {
    var req = fanin.client.request(HttpMethod.GET, "/v1/feeds");
    for (int i = 0; i < 30; i++) {
      req.putHeader("X-Extra-" + i, "v");
    }
    BadInputTest.assertProblem(req.send().await(), 431);
  }
}
