package dev.fanin.http;

import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FakeUpstream;
import dev.fanin.testing.FaninHarness;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Credentials follow a redirect within an origin and never to another one. */
class RedirectCredentialsTest {
  static Vertx vertx;
  static FakeUpstream first;
  static FakeUpstream other;
  static FaninHarness fanin;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    first = new FakeUpstream(vertx).start();
    other = new FakeUpstream(vertx).start();
    fanin = new FaninHarness(vertx, new JsonObject().put("cache", new JsonObject()
        .put("credentialHeaders", new JsonArray().add("X-API-Key").add("X-Partner-Token"))));
  }

  @AfterAll
  static void stop() {
    fanin.stop();
    first.stop();
    other.stop();
    vertx.close().await();
  }

  static JsonObject credentials() {
    return new JsonObject().put("Authorization", "Bearer a").put("Cookie", "s=1").put("X-API-Key", "k")
        .put("X-Partner-Token", "t").put("X-Trace", "keep");
  }

  @Test
  void aRedirectToAnotherOriginDropsEveryCredentialHeader() {
    String target = other.url("landed=1");
    String url = first.url("status=307&redirect=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
    JsonObject result = ResilienceTest.only(fanin.aggregate(definition(source("s", url).put("headers", credentials()))));
    assertEquals("ok", result.getString("status"), result.encode());
    var seen = other.lastRequest().headers();
    for (String header : new String[] {"Authorization", "Cookie", "X-API-Key", "X-Partner-Token"}) {
      assertNull(seen.get(header), header + " crossed to another origin");
    }
    assertEquals("keep", seen.get("X-Trace"));
    assertEquals("k", first.lastRequest().headers().get("X-API-Key"), "the first origin got them");
  }

  @Test
  void aRedirectWithinTheOriginKeepsThem() {
    String target = first.url("landed=2");
    String url = first.url("status=307&redirect=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
    ResilienceTest.only(fanin.aggregate(definition(source("s", url).put("headers", credentials()))));
    assertEquals("t", first.lastRequest().headers().get("X-Partner-Token"));
    assertEquals("Bearer a", first.lastRequest().headers().get("Authorization"));
  }

  @Test
  void headersTheSourceMarksSecretAreDroppedToo() {
    String target = other.url("landed=3");
    String url = first.url("status=307&redirect=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
    JsonObject source = source("s", url).put("headers", credentials().put("X-Mine", "secret"))
        .put("secretHeaders", new JsonArray().add("x-mine"));
    ResilienceTest.only(fanin.aggregate(definition(source)));
    assertNull(other.lastRequest().headers().get("X-Mine"));
    assertEquals("keep", other.lastRequest().headers().get("X-Trace"));
  }

  @Test
  void aBodyFollowsARedirectToAnotherOriginOnlyWhenTheSourceSaysSo() {
    String target = other.url("landed=4");
    String url = first.url("status=307&redirect=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
    JsonObject post = source("s", url).put("method", "POST").put("body", new JsonObject().put("card", "4111"));
    ResilienceTest.only(fanin.aggregate(definition(post)));
    assertEquals("POST", other.lastRequest().method());
    assertTrue(other.lastRequest().body() == null || other.lastRequest().body().isEmpty(),
        "the body crossed: " + other.lastRequest().body());
    ResilienceTest.only(fanin.aggregate(definition(post.copy().put("keepBodyOnRedirect", true))));
    assertEquals("{\"card\":\"4111\"}", other.lastRequest().body());
  }

  @Test
  void aBodyFollowsARedirectWithinTheOrigin() {
    String target = first.url("landed=5");
    String url = first.url("status=307&redirect=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
    ResilienceTest.only(fanin.aggregate(definition(source("s", url).put("method", "POST")
        .put("body", new JsonObject().put("a", 1)))));
    assertEquals("{\"a\":1}", first.lastRequest().body());
  }
}
