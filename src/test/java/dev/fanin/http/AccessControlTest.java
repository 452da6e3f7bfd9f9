package dev.fanin.http;

import dev.fanin.testing.Eventually;
import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninExtension;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** API keys (stored hashed), scopes, per-key rate limits, and load shedding. */
class AccessControlTest {
  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withConfig(new JsonObject()
      .put("aggregate", new JsonObject().put("maxInFlight", 2))
      .put("security", new JsonObject()
          .put("requestsPerSecondPerKey", 1).put("burstPerKey", 10)
          .put("apiKeys", new JsonArray()
              .add(new JsonObject().put("id", "runner").put("sha256", sha256("run-secret"))
                  .put("scopes", new JsonArray().add("aggregate")))
              .add(new JsonObject().put("id", "reader").put("sha256", sha256("read-secret"))
                  .put("scopes", new JsonArray().add("feeds:read")))
              .add(new JsonObject().put("id", "admin").put("sha256", sha256("admin-secret"))
                  .put("scopes", new JsonArray().add("aggregate").add("feeds:read").add("feeds:write")))
              .add(new JsonObject().put("id", "limited").put("sha256", sha256("limited-secret"))
                  .put("scopes", new JsonArray().add("feeds:read"))))));

  static String sha256(String key) {
    return HexFormat.of().formatHex(dev.fanin.security.ApiKeys.sha256(key));
  }

  HttpResponse<Buffer> call(HttpMethod method, String path, String key, JsonObject body) {
    var req = fixture.fanin().client.request(method, path);
    if (key != null) {
      req.putHeader("Authorization", "Bearer " + key);
    }
    if (body != null) {
      return req.putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer()).await();
    }
    return req.send().await();
  }

  @Test
  void noKeyOrAWrongKeyIs401() {
    JsonObject def = definition(source("a", fixture.upstream().url("")));
    HttpResponse<Buffer> none = call(HttpMethod.POST, "/v1/aggregate", null, def);
    BadInputTest.assertProblem(none, 401);
    assertTrue(none.getHeader("WWW-Authenticate").startsWith("Bearer"));
    BadInputTest.assertProblem(call(HttpMethod.POST, "/v1/aggregate", "run-secretX", def), 401);
    BadInputTest.assertProblem(call(HttpMethod.POST, "/v1/aggregate", sha256("run-secret"), def), 401);
  }

  @Test
  void scopesDecideWhatAKeyMayDo() {
    JsonObject def = definition(source("a", fixture.upstream().url("")));
    assertEquals(200, call(HttpMethod.POST, "/v1/aggregate", "run-secret", def).statusCode());
    BadInputTest.assertProblem(call(HttpMethod.POST, "/v1/aggregate", "read-secret", def), 403);
    assertEquals(200, call(HttpMethod.GET, "/v1/feeds", "read-secret", null).statusCode());
    BadInputTest.assertProblem(call(HttpMethod.GET, "/v1/feeds", "run-secret", null), 403);
    BadInputTest.assertProblem(call(HttpMethod.PUT, "/v1/feeds/f1", "read-secret", def), 403);
    assertEquals(201, call(HttpMethod.PUT, "/v1/feeds/f1", "admin-secret", def).statusCode());
    assertEquals(200, call(HttpMethod.GET, "/v1/feeds/f1/aggregate", "run-secret", null).statusCode());
    BadInputTest.assertProblem(call(HttpMethod.DELETE, "/v1/feeds/f1", "run-secret", null), 403);
    assertEquals(204, call(HttpMethod.DELETE, "/v1/feeds/f1", "admin-secret", null).statusCode());
  }

  @Test
  void healthAndTheContractNeedNoKey() {
    assertEquals(200, fixture.fanin().client.request(HttpMethod.GET, "/health").send().await().statusCode());
    assertEquals(200, fixture.fanin().client.request(HttpMethod.GET, "/openapi.json").send().await().statusCode());
  }

  @Test
  void eachKeyHasARateLimit() {
    int limited = 0;
    String retryAfter = null;
    for (int i = 0; i < 20; i++) {
      HttpResponse<Buffer> res = call(HttpMethod.GET, "/v1/feeds", "limited-secret", null);
      if (res.statusCode() == 429) {
        limited++;
        retryAfter = res.getHeader("Retry-After");
        BadInputTest.assertProblem(res, 429);
      }
    }
    assertTrue(limited >= 8, "only " + limited + " of 20 rapid requests were limited");
    assertTrue(Integer.parseInt(retryAfter) >= 1);
  }

  @Test
  void aggregationsBeyondTheLimitAreShedWith503AndNothingStaysStuck() {
    JsonObject slow = definition(source("a", fixture.upstream().url("delay=3000")));
    List<Future<HttpResponse<Buffer>>> running = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      running.add(fixture.fanin().client.request(HttpMethod.POST, "/v1/aggregate")
          .putHeader("Authorization", "Bearer admin-secret").putHeader("Content-Type", "application/json")
          .sendBuffer(slow.toBuffer()));
    }
    assertTrue(Eventually.eventually(2000, () -> fixture.fanin().fanin.aggregationsInFlight().inFlight() == 2));
    long start = System.nanoTime();
    HttpResponse<Buffer> shed = call(HttpMethod.POST, "/v1/aggregate", "run-secret",
        definition(source("b", fixture.upstream().url(""))));
    // at once, not once a running aggregation (3 s) has ended
    assertTrue((System.nanoTime() - start) / 1_000_000 < 2_000, "shedding must answer at once");
    BadInputTest.assertProblem(shed, 503);
    assertEquals("1", shed.getHeader("Retry-After"));
    for (Future<HttpResponse<Buffer>> f : running) {
      assertEquals(200, f.await().statusCode());
    }
    assertTrue(Eventually.eventually(2000, () -> fixture.fanin().fanin.aggregationsInFlight().inFlight() == 0));
    assertEquals(200, call(HttpMethod.POST, "/v1/aggregate", "run-secret",
        definition(source("b", fixture.upstream().url("")))).statusCode());
  }
}
