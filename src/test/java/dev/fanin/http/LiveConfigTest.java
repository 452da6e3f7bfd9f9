package dev.fanin.http;

import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fanin.config.ConfigLoader;
import dev.fanin.config.FaninConfig;
import dev.fanin.testing.FaninExtension;
import dev.fanin.testing.FaninHarness;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A running service picks up new limits, upstream policy, API keys and breaker thresholds. */
class LiveConfigTest {
  @RegisterExtension
  final FaninExtension fixture = FaninExtension.withDefaults();
  JsonObject base;

  @BeforeEach
  void baseConfig() {
    base = new JsonObject()
        .put("http", new JsonObject().put("port", fixture.fanin().fanin.port()).put("instances", 1))
        .put("upstream", new JsonObject().put("allowPrivateNetworks", true))
        .put("demo", new JsonObject().put("port", fixture.fanin().fanin.config().demo().port()))
        .put("feeds", new JsonObject().put("dataDir", fixture.fanin().fanin.config().feeds().dataDir())
            .put("confDir", fixture.fanin().fanin.config().feeds().confDir()));
  }

  void apply(JsonObject change) {
    FaninConfig next = ConfigLoader.fromJson(base.copy().mergeIn(change, true));
    assertEquals(java.util.List.of(), fixture.fanin().fanin.live().update(next));
  }

  @Test
  void limitsApplyToTheNextRequest() {
    JsonObject three = definition(source("a", fixture.upstream().url("")), source("b", fixture.upstream().url("")),
        source("c", fixture.upstream().url("")));
    assertEquals(200, fixture.fanin().aggregate(three).statusCode());
    apply(new JsonObject().put("aggregate", new JsonObject().put("maxSources", 2)));
    BadInputTest.assertProblem(fixture.fanin().aggregate(three), 400);
  }

  @Test
  void theUpstreamPolicyAppliesToTheNextRequest() {
    apply(new JsonObject().put("upstream", new JsonObject().put("allowPrivateNetworks", true)
        .put("denyPorts", new JsonArray().add(fixture.upstream().port()))));
    JsonObject result = ResilienceTest.only(fixture.fanin().aggregate(definition(source("a", fixture.upstream().url("")))));
    assertEquals("rejected", result.getJsonObject("error").getString("kind"));
    assertEquals(0, fixture.upstream().requests.get());
  }

  @Test
  void apiKeysCanBeAddedWhileRunning() {
    assertEquals(200, fixture.fanin().client.request(HttpMethod.GET, "/v1/feeds").send().await().statusCode());
    apply(new JsonObject().put("security", new JsonObject().put("apiKeys", new JsonArray().add(new JsonObject()
        .put("id", "k").put("sha256", AccessControlTest.sha256("s3cret"))
        .put("scopes", new JsonArray().add("feeds:read"))))));
    BadInputTest.assertProblem(fixture.fanin().client.request(HttpMethod.GET, "/v1/feeds").send().await(), 401);
    assertEquals(200, fixture.fanin().client.request(HttpMethod.GET, "/v1/feeds")
        .putHeader("Authorization", "Bearer s3cret").send().await().statusCode());
  }

  @Test
  void theRateBucketOfARemovedKeyIsForgotten() {
    JsonObject key = new JsonObject().put("id", "k").put("sha256", AccessControlTest.sha256("s3cret"))
        .put("scopes", new JsonArray().add("feeds:read"));
    apply(new JsonObject().put("security", new JsonObject().put("apiKeys", new JsonArray().add(key))));
    assertEquals(200, fixture.fanin().client.request(HttpMethod.GET, "/v1/feeds")
        .putHeader("Authorization", "Bearer s3cret").send().await().statusCode());
    assertEquals(1, fixture.fanin().fanin.rateLimiter().buckets());
    apply(new JsonObject().put("security", new JsonObject().put("apiKeys", new JsonArray())));
    assertEquals(0, fixture.fanin().fanin.rateLimiter().buckets());
  }

  @Test
  void breakerThresholdsApplyToTheNextFailures() {
    apply(new JsonObject().put("breaker", new JsonObject().put("maxFailures", 1)));
    String dead = "http://127.0.0.1:" + FaninHarness.freePort() + "/x";
    ResilienceTest.only(fixture.fanin().aggregate(definition(source("a", dead))));
    JsonObject second = ResilienceTest.only(fixture.fanin().aggregate(definition(source("a", dead))));
    assertEquals("circuit_open", second.getJsonObject("error").getString("kind"));
  }
}
