package dev.fanin.http;

import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninExtension;
import dev.fanin.testing.FaninHarness;
import dev.fanin.testing.HarSchema;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Accept: application/har+json through the whole service, against the fake upstream: every answer
 * is checked against the HAR 1.2 schema, then for what it must say.
 */
class HarExportTest {
  static final String HAR = "application/har+json";

  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withoutFanin().upstreams(1);
  static FaninHarness fanin;

  @BeforeAll
  static void start() {
    fanin = fixture.startFanin(new JsonObject());
  }

  static String url(String query) {
    return fixture.upstream().url(query + "&u=" + UUID.randomUUID());
  }

  static HttpResponse<Buffer> har(String path, JsonObject definition) {
    return fanin.post(path, "application/json", HAR, definition.toBuffer());
  }

  /** The answer's log, once it is known to be HAR 1.2 with the status expected. */
  static JsonObject log(HttpResponse<Buffer> res, int status) {
    assertEquals(status, res.statusCode(), res.bodyAsString());
    assertEquals(HAR, res.getHeader("Content-Type"));
    JsonObject har = res.bodyAsJsonObject();
    HarSchema.assertValid(har);
    return har.getJsonObject("log");
  }

  static Map<String, String> headers(JsonArray list) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      map.put(list.getJsonObject(i).getString("name").toLowerCase(), list.getJsonObject(i).getString("value"));
    }
    return map;
  }

  static Instant started(JsonObject entry) {
    return Instant.parse(entry.getString("startedDateTime"));
  }

  @Test
  void aRetriedSourceGivesTwoEntriesWithTheirStatusesAndTheBackoffBetweenThem() {
    JsonObject flaky = source("flaky", url("status=503&failFirst=1&retryAfter=1&key=" + UUID.randomUUID()))
        .put("retries", 1);
    JsonObject log = log(har("/v1/aggregate", definition(flaky).put("deadlineMs", 10_000)), 200);
    JsonArray entries = log.getJsonArray("entries");
    assertEquals(2, entries.size(), entries.encodePrettily());
    JsonObject first = entries.getJsonObject(0);
    JsonObject second = entries.getJsonObject(1);
    assertEquals(503, first.getJsonObject("response").getInteger("status"));
    assertEquals("Service Unavailable", first.getJsonObject("response").getString("statusText"));
    assertEquals(200, second.getJsonObject("response").getInteger("status"));
    assertEquals(0, first.getInteger("_attempt"));
    assertEquals(1, second.getInteger("_attempt"));
    for (JsonObject e : new JsonObject[] {first, second}) {
      assertEquals("flaky", e.getString("_sourceId"));
      assertEquals("upstream", e.getString("_from"));
      assertEquals("aggregation", e.getString("pageref"));
      assertEquals("GET", e.getJsonObject("request").getString("method"));
      assertEquals("HTTP/1.1", e.getJsonObject("response").getString("httpVersion"));
      JsonObject t = e.getJsonObject("timings");
      assertEquals(-1, t.getInteger("dns"));
      assertEquals(0, t.getInteger("send"));
      double sum = t.getDouble("blocked") + Math.max(0, t.getDouble("connect")) + t.getDouble("wait")
          + t.getDouble("receive");
      assertEquals(sum, e.getDouble("time"), 0.01, "time is the sum of the timings: " + e.encode());
    }
    assertTrue(first.getJsonObject("timings").getDouble("_backoffAfter") >= 999, first.encode());
    Duration gap = Duration.between(started(first), started(second));
    assertTrue(gap.toMillis() >= 999 + first.getDouble("time").longValue() - 1 && gap.toMillis() < 4_000,
        "the second attempt began after the first one and its 1 s backoff: " + gap);
    JsonObject query = new JsonObject().put("name", "status").put("value", "503");
    assertTrue(first.getJsonObject("request").getJsonArray("queryString").contains(query));
    assertEquals(-1, first.getJsonObject("timings").getInteger("ssl"));
    assertEquals(1, log.getJsonArray("pages").size());
    assertEquals(new JsonArray(), log.getJsonArray("pages").getJsonObject(0).getJsonArray("_sources"));
  }

  @Test
  void credentialsAreRedactedAndTheOtherHeadersKeptAsSent() {
    JsonObject src = source("auth", url("cc=no-store"))
        .put("headers", new JsonObject().put("Authorization", "Bearer secret-token").put("Cookie", "sid=1")
            .put("X-API-Key", "k-123").put("X-Tenant-Token", "t-456").put("X-Plain", "visible"))
        .put("secretHeaders", new JsonArray().add("X-Tenant-Token"));
    HttpResponse<Buffer> res = har("/v1/aggregate", definition(src));
    assertFalse(res.bodyAsString().contains("secret-token") || res.bodyAsString().contains("k-123")
        || res.bodyAsString().contains("t-456") || res.bodyAsString().contains("sid=1"), res.bodyAsString());
    JsonObject entry = log(res, 200).getJsonArray("entries").getJsonObject(0);
    Map<String, String> sent = headers(entry.getJsonObject("request").getJsonArray("headers"));
    for (String name : new String[] {"authorization", "cookie", "x-api-key", "x-tenant-token"}) {
      assertEquals("REDACTED", sent.get(name), name + " in " + sent);
    }
    assertEquals("visible", sent.get("x-plain"));
    assertTrue(sent.get("via").contains("fanin"), "fanin's own headers are listed: " + sent);
    assertTrue(sent.containsKey("x-request-id") && sent.containsKey("accept-encoding"), sent.toString());
    Map<String, String> got = headers(entry.getJsonObject("response").getJsonArray("headers"));
    assertEquals("no-store", got.get("cache-control"));
  }

  @Test
  void bodiesAreLeftOutUnlessAskedForAndTheirSizesGivenEither() {
    JsonObject def = definition(source("b", url("body=%7B%22hello%22%3A%22world%22%7D&type=application/json"))
        .put("method", "POST").put("body", new JsonObject().put("q", 1)));
    JsonObject without = log(har("/v1/aggregate", def), 200).getJsonArray("entries").getJsonObject(0);
    JsonObject content = without.getJsonObject("response").getJsonObject("content");
    assertNull(content.getString("text"), content.encode());
    assertEquals(17, content.getInteger("size"));
    assertEquals(17, without.getJsonObject("response").getInteger("bodySize"));
    assertEquals(7, without.getJsonObject("request").getInteger("bodySize"));
    assertNull(without.getJsonObject("request").getJsonObject("postData"));

    JsonObject with = log(har("/v1/aggregate?bodies=true", def), 200).getJsonArray("entries").getJsonObject(0);
    JsonObject full = with.getJsonObject("response").getJsonObject("content");
    assertEquals("{\"hello\":\"world\"}", full.getString("text"));
    assertEquals("application/json", full.getString("mimeType"));
    JsonObject post = with.getJsonObject("request").getJsonObject("postData");
    assertEquals("{\"q\":1}", post.getString("text"));
    assertEquals("application/json", post.getString("mimeType"));
  }

  @Test
  void aCacheHitHasNoEntryAndIsListedInThePage() {
    String cached = url("cc=max-age%3D60");
    log(har("/v1/aggregate", definition(source("c", cached))), 200);
    JsonObject log = log(har("/v1/aggregate", definition(source("c", cached), source("fresh", url("x=1")))), 200);
    JsonArray entries = log.getJsonArray("entries");
    assertEquals(1, entries.size(), entries.encodePrettily());
    assertEquals("fresh", entries.getJsonObject(0).getString("_sourceId"));
    assertEquals(new JsonArray().add(new JsonObject().put("id", "c").put("status", "ok").put("from", "cache")),
        log.getJsonArray("pages").getJsonObject(0).getJsonArray("_sources"));
  }

  @Test
  void aFailedRequiredSourceKeepsTheAggregatesStatusAndItsLastEntryCarriesTheError() {
    JsonObject log = log(har("/v1/aggregate", definition(source("down", url("status=500")))), 502);
    JsonObject entry = log.getJsonArray("entries").getJsonObject(0);
    assertEquals(500, entry.getJsonObject("response").getInteger("status"));
    assertEquals("http", entry.getJsonObject("_error").getString("kind"));
    assertFalse(log.getJsonArray("pages").getJsonObject(0).getBoolean("_complete"));
  }

  @Test
  void aFeedRunAnswersHarToo() {
    JsonObject feed = definition(source("f", url("feed=1")));
    HttpResponse<Buffer> created = fanin.client.request(HttpMethod.PUT, "/v1/feeds/har-feed")
        .putHeader("Content-Type", "application/json").sendBuffer(feed.toBuffer()).await();
    assertEquals(201, created.statusCode(), created.bodyAsString());
    HttpResponse<Buffer> get = fanin.client.request(HttpMethod.GET, "/v1/feeds/har-feed/aggregate?bodies=true")
        .putHeader("Accept", HAR).send().await();
    JsonObject log = log(get, 200);
    assertEquals("har-feed", log.getJsonArray("pages").getJsonObject(0).getString("title"));
    JsonObject entry = log.getJsonArray("entries").getJsonObject(0);
    assertEquals("f", entry.getString("_sourceId"));
    assertTrue(entry.getJsonObject("response").getJsonObject("content").containsKey("text"));
    JsonObject posted = log(fanin.post("/v1/feeds/har-feed/aggregate", "application/json", HAR, Buffer.buffer("{}")), 200);
    assertEquals(1, posted.getJsonArray("entries").size());
  }

  @Test
  void anyTypeStillGetsTheJsonAggregate() {
    HttpResponse<Buffer> res = fanin.post("/v1/aggregate", "application/json", "*/*",
        definition(source("j", url("j=1"))).toBuffer());
    assertEquals(200, res.statusCode());
    assertEquals("application/json", res.getHeader("Content-Type"));
    assertTrue(res.bodyAsJsonObject().containsKey("results"));
    HttpResponse<Buffer> preferred = fanin.post("/v1/aggregate", "application/json",
        "application/json, application/har+json;q=0.5", definition(source("j", url("j=2"))).toBuffer());
    assertEquals("application/json", preferred.getHeader("Content-Type"));
  }

  @Test
  void bodiesMustBeTrueOrFalse() {
    HttpResponse<Buffer> res = har("/v1/aggregate?bodies=yes", definition(source("x", url("x=1"))));
    assertEquals(400, res.statusCode(), res.bodyAsString());
  }
}
