package dev.fanin.http;

import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fanin.config.ConfigLoader;
import dev.fanin.config.FaninConfig;
import dev.fanin.testing.FakeUpstream;
import dev.fanin.testing.FaninHarness;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A running service picks up new limits, upstream policy, API keys and breaker thresholds. */
class LiveConfigTest {
  Vertx vertx;
  FakeUpstream upstream;
  FaninHarness fanin;
  JsonObject base;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    upstream = new FakeUpstream(vertx).start();
    fanin = new FaninHarness(vertx, new JsonObject());
    base = new JsonObject()
        .put("http", new JsonObject().put("port", fanin.fanin.port()).put("instances", 1))
        .put("upstream", new JsonObject().put("allowPrivateNetworks", true))
        .put("demo", new JsonObject().put("port", fanin.fanin.config().demo().port()))
        .put("feeds", new JsonObject().put("dataDir", fanin.fanin.config().feeds().dataDir())
            .put("confDir", fanin.fanin.config().feeds().confDir()));
  }

  @AfterEach
  void stop() {
    fanin.stop();
    upstream.stop();
    vertx.close().await();
  }

  void apply(JsonObject change) {
    FaninConfig next = ConfigLoader.fromJson(base.copy().mergeIn(change, true));
    assertEquals(java.util.List.of(), fanin.fanin.live().update(next));
  }

  @Test
  void limitsApplyToTheNextRequest() {
    JsonObject three = definition(source("a", upstream.url("")), source("b", upstream.url("")),
        source("c", upstream.url("")));
    assertEquals(200, fanin.aggregate(three).statusCode());
    apply(new JsonObject().put("aggregate", new JsonObject().put("maxSources", 2)));
    BadInputTest.assertProblem(fanin.aggregate(three), 400);
  }

  @Test
  void theUpstreamPolicyAppliesToTheNextRequest() {
    apply(new JsonObject().put("upstream", new JsonObject().put("allowPrivateNetworks", true)
        .put("denyPorts", new JsonArray().add(upstream.port()))));
    JsonObject result = ResilienceTest.only(fanin.aggregate(definition(source("a", upstream.url("")))));
    assertEquals("rejected", result.getJsonObject("error").getString("kind"));
    assertEquals(0, upstream.requests.get());
  }

  @Test
  void apiKeysCanBeAddedWhileRunning() {
    assertEquals(200, fanin.client.request(HttpMethod.GET, "/v1/feeds").send().await().statusCode());
    apply(new JsonObject().put("security", new JsonObject().put("apiKeys", new JsonArray().add(new JsonObject()
        .put("id", "k").put("sha256", AccessControlTest.sha256("s3cret"))
        .put("scopes", new JsonArray().add("feeds:read"))))));
    BadInputTest.assertProblem(fanin.client.request(HttpMethod.GET, "/v1/feeds").send().await(), 401);
    assertEquals(200, fanin.client.request(HttpMethod.GET, "/v1/feeds")
        .putHeader("Authorization", "Bearer s3cret").send().await().statusCode());
  }

  @Test
  void theRateBucketOfARemovedKeyIsForgotten() {
    JsonObject key = new JsonObject().put("id", "k").put("sha256", AccessControlTest.sha256("s3cret"))
        .put("scopes", new JsonArray().add("feeds:read"));
    apply(new JsonObject().put("security", new JsonObject().put("apiKeys", new JsonArray().add(key))));
    assertEquals(200, fanin.client.request(HttpMethod.GET, "/v1/feeds")
        .putHeader("Authorization", "Bearer s3cret").send().await().statusCode());
    assertEquals(1, fanin.fanin.rateLimiter().buckets());
    apply(new JsonObject().put("security", new JsonObject().put("apiKeys", new JsonArray())));
    assertEquals(0, fanin.fanin.rateLimiter().buckets());
  }

  @Test
  void breakerThresholdsApplyToTheNextFailures() {
    apply(new JsonObject().put("breaker", new JsonObject().put("maxFailures", 1)));
    String dead = "http://127.0.0.1:" + FaninHarness.freePort() + "/x";
    ResilienceTest.only(fanin.aggregate(definition(source("a", dead))));
    JsonObject second = ResilienceTest.only(fanin.aggregate(definition(source("a", dead))));
    assertEquals("circuit_open", second.getJsonObject("error").getString("kind"));
  }
}
