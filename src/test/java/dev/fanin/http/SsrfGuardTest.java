package dev.fanin.http;

import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FakeUpstream;
import dev.fanin.testing.FaninExtension;
import dev.fanin.testing.FaninHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SSRF guard through the whole service, with private networks refused. Every target here is on
 * loopback; the guard must refuse them before anything is sent, so the fake upstream sees nothing.
 */
class SsrfGuardTest {
  // 127.0.0.1 is vouched for by name (privateHosts) so it can play the allow-listed origin;
  // every other way of writing loopback must still be refused
  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withConfig(new JsonObject().put("upstream", new JsonObject()
      .put("allowPrivateNetworks", false)
      .put("privateHosts", new JsonArray().add("127.0.0.1"))
      .put("denyPorts", new JsonArray().add(FaninHarness.freePort()))))
      .upstreams(2).resetCountersBeforeEach();

  /** The loopback target every refused notation points at. */
  static FakeUpstream target() {
    return fixture.upstream(0);
  }

  /** The origin vouched for by name. */
  static FakeUpstream allowed() {
    return fixture.upstream(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"2130706433", "0177.0.0.1", "0x7f.0.0.1", "0x7f000001", "127.1", "127.0.1",
      "0177.1", "0.0.0.0", "0", "[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "localhost", "LOCALHOST",
      "127.0.0.2"})
  void loopbackInEveryNotationIsRejectedAndNothingIsSent(String host) {
    var res = fixture.fanin().aggregate(definition(
        source("s", "http://" + host + ":" + target().port() + "/x").put("retries", 2)));
    if (res.statusCode() == 400) {
      // java.net.URI does not take some notations as a host at all: refused at validation
      assertEquals("/sources/0/url", res.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("pointer"));
      assertEquals(0, target().requests.get());
      return;
    }
    JsonObject result = ResilienceTest.only(res);
    assertEquals("rejected", result.getJsonObject("error").getString("kind"), result.encode());
    assertTrue(result.getJsonObject("error").getString("message").contains("allowPrivateNetworks"));
    assertEquals(0, result.getInteger("attempts"));
    assertEquals(0, target().requests.get(), "the upstream saw a request for " + host);
  }

  @Test
  void aRedirectFromAnAllowedOriginToARefusedOneIsNotFollowed() {
    String refused = "http://localhost:" + target().port() + "/x";
    JsonObject result = ResilienceTest.only(fixture.fanin().aggregate(definition(source("s",
        allowed().url("status=302&redirect=" + URLEncoder.encode(refused, StandardCharsets.UTF_8))))));
    assertEquals("rejected", result.getJsonObject("error").getString("kind"));
    assertEquals(1, allowed().requests.get());
    assertEquals(0, target().requests.get());
  }

  @Test
  void redirectsToAllowedOriginsAreFollowed() {
    String next = "http://127.0.0.1:" + target().port() + "/x?body=%7B%22hop%22%3A2%7D";
    JsonObject result = ResilienceTest.only(fixture.fanin().aggregate(definition(source("s",
        allowed().url("status=307&redirect=" + URLEncoder.encode(next, StandardCharsets.UTF_8))))));
    assertEquals("ok", result.getString("status"), result.encode());
    assertEquals(2, result.getJsonObject("data").getInteger("hop"));
    assertEquals(1, target().requests.get());
  }

  @Test
  void redirectsStopAfterFiveHops() {
    String loop = allowed().url("status=302&redirect=self");
    JsonObject result = ResilienceTest.only(fixture.fanin().aggregate(definition(source("s", loop))));
    assertEquals("http", result.getJsonObject("error").getString("kind"));
    assertEquals(302, result.getInteger("httpStatus"));
    assertTrue(result.getJsonObject("error").getString("message").contains("redirects"));
    assertEquals(6, allowed().requests.get());
  }

  @Test
  void aDeniedPortIsRejected() {
    int denied = fixture.fanin().fanin.config().upstream().denyPorts().get(0);
    JsonObject result = ResilienceTest.only(fixture.fanin().aggregate(definition(
        source("s", "http://127.0.0.1:" + denied + "/x"))));
    assertEquals("rejected", result.getJsonObject("error").getString("kind"));
    assertTrue(result.getJsonObject("error").getString("message").contains("denyPorts"));
  }

  @Test
  void aRejectedSourceDoesNotOpenTheBreaker() {
    for (int i = 0; i < 8; i++) {
      fixture.fanin().aggregate(definition(source("s", "http://localhost:" + allowed().port() + "/x")));
    }
    JsonObject ok = ResilienceTest.only(fixture.fanin().aggregate(definition(source("s", allowed().url("")))));
    assertEquals("ok", ok.getString("status"));
  }
}
