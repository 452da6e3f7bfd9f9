package dev.fanin.http;

import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninExtension;
import dev.fanin.testing.FaninHarness;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Process-wide bounds: upstream requests in flight (the bulkhead) and request header count. */
class LimitsTest {
  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withConfig(new JsonObject()
      .put("client", new JsonObject().put("maxConnections", 2))
      .put("http", new JsonObject().put("maxHeaders", 20)));

  @Test
  void upstreamRequestsBeyondTheProcessBoundAreRejectedNotQueued() {
    JsonArray sources = new JsonArray();
    for (int i = 0; i < 5; i++) {
      sources.add(source("s" + i, fixture.upstream().url("delay=300&i=" + i)));
    }
    JsonObject results = fixture.fanin().aggregate(new JsonObject().put("sources", sources))
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
    assertTrue(fixture.upstream().maxInFlight.get() <= 2);
    // the slots are given back: a later aggregation runs normally
    assertEquals(200, fixture.fanin().aggregate(FaninHarness.definition(source("a", fixture.upstream().url("")))).statusCode());
  }

  @Test
  void tooManyRequestHeadersGet431() {
    var req = fixture.fanin().client.request(HttpMethod.GET, "/v1/feeds");
    for (int i = 0; i < 30; i++) {
      req.putHeader("X-Extra-" + i, "v");
    }
    BadInputTest.assertProblem(req.send().await(), 431);
  }
}
