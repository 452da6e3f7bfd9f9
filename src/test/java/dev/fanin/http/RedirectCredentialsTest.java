package dev.fanin.http;

import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Credentials follow a redirect within an origin and never to another one. */
class RedirectCredentialsTest {
  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withConfig(new JsonObject().put("cache", new JsonObject()
      .put("credentialHeaders", new JsonArray().add("X-API-Key").add("X-Partner-Token"))))
      .upstreams(2);

  static JsonObject credentials() {
    return new JsonObject().put("Authorization", "Bearer a").put("Cookie", "s=1").put("X-API-Key", "k")
        .put("X-Partner-Token", "t").put("X-Trace", "keep");
  }

  @Test
  void aRedirectToAnotherOriginDropsEveryCredentialHeader() {
    String target = fixture.upstream(1).url("landed=1");
    String url = fixture.upstream(0).url("status=307&redirect=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
    JsonObject result = ResilienceTest.only(fixture.fanin().aggregate(definition(source("s", url).put("headers", credentials()))));
    assertEquals("ok", result.getString("status"), result.encode());
    var seen = fixture.upstream(1).lastRequest().headers();
    for (String header : new String[] {"Authorization", "Cookie", "X-API-Key", "X-Partner-Token"}) {
      assertNull(seen.get(header), header + " crossed to another origin");
    }
    assertEquals("keep", seen.get("X-Trace"));
    assertEquals("k", fixture.upstream(0).lastRequest().headers().get("X-API-Key"), "the first origin got them");
  }

  @Test
  void aRedirectWithinTheOriginKeepsThem() {
    String target = fixture.upstream(0).url("landed=2");
    String url = fixture.upstream(0).url("status=307&redirect=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
    ResilienceTest.only(fixture.fanin().aggregate(definition(source("s", url).put("headers", credentials()))));
    assertEquals("t", fixture.upstream(0).lastRequest().headers().get("X-Partner-Token"));
    assertEquals("Bearer a", fixture.upstream(0).lastRequest().headers().get("Authorization"));
  }

  @Test
  void headersTheSourceMarksSecretAreDroppedToo() {
    String target = fixture.upstream(1).url("landed=3");
    String url = fixture.upstream(0).url("status=307&redirect=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
    JsonObject source = source("s", url).put("headers", credentials().put("X-Mine", "secret"))
        .put("secretHeaders", new JsonArray().add("x-mine"));
    ResilienceTest.only(fixture.fanin().aggregate(definition(source)));
    assertNull(fixture.upstream(1).lastRequest().headers().get("X-Mine"));
    assertEquals("keep", fixture.upstream(1).lastRequest().headers().get("X-Trace"));
  }

  @Test
  void aBodyFollowsARedirectToAnotherOriginOnlyWhenTheSourceSaysSo() {
    String target = fixture.upstream(1).url("landed=4");
    String url = fixture.upstream(0).url("status=307&redirect=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
    JsonObject post = source("s", url).put("method", "POST").put("body", new JsonObject().put("card", "4111"));
    ResilienceTest.only(fixture.fanin().aggregate(definition(post)));
    assertEquals("POST", fixture.upstream(1).lastRequest().method());
    assertTrue(fixture.upstream(1).lastRequest().body() == null || fixture.upstream(1).lastRequest().body().isEmpty(),
        "the body crossed: " + fixture.upstream(1).lastRequest().body());
    ResilienceTest.only(fixture.fanin().aggregate(definition(post.copy().put("keepBodyOnRedirect", true))));
    assertEquals("{\"card\":\"4111\"}", fixture.upstream(1).lastRequest().body());
  }

  @Test
  void aBodyFollowsARedirectWithinTheOrigin() {
    String target = fixture.upstream(0).url("landed=5");
    String url = fixture.upstream(0).url("status=307&redirect=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
    ResilienceTest.only(fixture.fanin().aggregate(definition(source("s", url).put("method", "POST")
        .put("body", new JsonObject().put("a", 1)))));
    assertEquals("{\"a\":1}", fixture.upstream(0).lastRequest().body());
  }
}
