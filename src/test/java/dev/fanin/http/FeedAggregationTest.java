package dev.fanin.http;

import dev.fanin.testing.Eventually;
import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninExtension;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Feeds through the whole service: detection, normalised data, merged timelines, new items only. */
class FeedAggregationTest {
  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withConfig(new JsonObject()
      .put("feeds", new JsonObject().put("minScheduleMs", 50)));

  static final String RSS = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Markets</title>"
      + "<link>https://a.example/</link>"
      + "<item><title>Old &amp; quiet</title><link>https://a.example/old</link><guid>a-old</guid>"
      + "<pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate></item>"
      + "<item><title>Shared story</title><link>https://story.example/s?id=1&amp;utm_source=rss</link>"
      + "<guid>a-shared</guid><pubDate>Tue, 02 Jan 2024 10:00:00 +0100</pubDate></item>"
      + "</channel></rss>";
  static final String ATOM = "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">"
      + "<title>Tech</title><link href=\"https://b.example/\"/><updated>2024-01-03T00:00:00Z</updated>"
      + "<entry><title type=\"html\">&lt;b&gt;Newest&lt;/b&gt;</title><link href=\"/newest\"/><id>b-new</id>"
      + "<updated>2024-01-03T00:00:00Z</updated></entry>"
      + "<entry><title>Same story, other feed</title><link href=\"https://STORY.example:443/s?id=1#x\"/>"
      + "<id>b-shared</id><updated>2024-01-02T08:00:00Z</updated></entry></feed>";
  static final String JSON_FEED = new JsonObject().put("version", "https://jsonfeed.org/version/1.1")
      .put("title", "Quotes blog").put("items", new JsonArray().add(new JsonObject().put("id", "c1")
          .put("url", "https://c.example/1").put("title", "Middle").put("date_published", "2024-01-02T12:00:00Z")))
      .encode();

  static String serve(String body, String type) {
    return fixture.upstream().url("type=" + URLEncoder.encode(type, StandardCharsets.UTF_8)
        + "&body=" + URLEncoder.encode(body, StandardCharsets.UTF_8));
  }

  @Test
  void feedsAreDetectedAndNormalised() {
    JsonObject results = fixture.fanin().aggregate(definition(
        source("rss", serve(RSS, "application/rss+xml")),
        source("sniffed", serve(RSS, "text/plain")),
        source("atom", serve(ATOM, "application/atom+xml")),
        source("json", serve(JSON_FEED, "application/feed+json"))))
        .bodyAsJsonObject().getJsonObject("results");
    JsonObject rss = results.getJsonObject("rss").getJsonObject("data");
    assertEquals("Markets", rss.getString("title"));
    assertEquals("Old & quiet", rss.getJsonArray("items").getJsonObject(0).getString("title"));
    assertEquals("2024-01-02T09:00:00Z", rss.getJsonArray("items").getJsonObject(1).getString("published"));
    assertEquals("Markets", results.getJsonObject("sniffed").getJsonObject("data").getString("title"));
    JsonObject atomItem = results.getJsonObject("atom").getJsonObject("data").getJsonArray("items").getJsonObject(0);
    assertEquals("Newest", atomItem.getString("title"));
    assertTrue(atomItem.getString("link").startsWith("http://127.0.0.1:"), "relative links resolve against the feed URL: " + atomItem);
    assertEquals("c1", results.getJsonObject("json").getJsonObject("data").getJsonArray("items").getJsonObject(0).getString("id"));
  }

  @Test
  void formatFeedRefusesWhatIsNotAFeedAndAutoFallsBackWithANote() {
    JsonObject results = fixture.fanin().aggregate(definition(
        source("strict", serve("{\"a\":1}", "application/json")).put("format", "feed"),
        source("lenient", serve("<rss><channel><item>", "application/rss+xml"))))
        .bodyAsJsonObject().getJsonObject("results");
    assertEquals("invalid_body", results.getJsonObject("strict").getJsonObject("error").getString("kind"));
    JsonObject lenient = results.getJsonObject("lenient");
    assertEquals("ok", lenient.getString("status"));
    assertEquals("<rss><channel><item>", lenient.getString("data"));
    assertTrue(lenient.getJsonArray("notes").getString(0).startsWith("looked like a feed"));
  }

  @Test
  void mergedTimelineIsNewestFirstDeduplicatedAndTagged() {
    JsonObject body = fixture.fanin().aggregate(definition(
        source("markets", serve(RSS, "application/rss+xml")),
        source("tech", serve(ATOM, "application/atom+xml")),
        source("blog", serve(JSON_FEED, "application/feed+json")),
        source("quote", fixture.upstream().url("")))
        .put("merge", new JsonObject().put("items", true).put("limit", 10))).bodyAsJsonObject();
    JsonArray items = body.getJsonArray("items");
    List<String> order = items.stream().map(o -> ((JsonObject) o).getString("id") + "@" + ((JsonObject) o).getString("source")).toList();
    // b-shared (Jan 2, 08:00Z) and a-shared (Jan 2, 09:00Z) are one story: the newer copy stays
    assertEquals(List.of("b-new@tech", "c1@blog", "a-shared@markets", "a-old@markets"), order);
    JsonObject limited = fixture.fanin().aggregate(definition(source("markets", serve(RSS, "application/rss+xml")))
        .put("merge", new JsonObject().put("items", true).put("limit", 1))).bodyAsJsonObject();
    assertEquals(1, limited.getJsonArray("items").size());
  }

  @Test
  void aStreamCarriesTheMergedItemsWithItsSummary() {
    String ndjson = fixture.fanin().post("/v1/aggregate?stream=ndjson", "application/json", null,
        definition(source("markets", serve(RSS, "application/rss+xml")))
            .put("merge", new JsonObject().put("items", true)).toBuffer()).bodyAsString();
    String[] lines = ndjson.split("\n");
    JsonObject summary = new JsonObject(lines[lines.length - 1]);
    assertEquals("summary", summary.getString("type"));
    assertEquals(2, summary.getJsonArray("items").size());
  }

  @Test
  void aScheduledFeedPublishesOnlyItemsItHasNotPublishedBefore() throws Exception {
    AtomicInteger served = new AtomicInteger();
    HttpServer growing = fixture.vertx().createHttpServer().requestHandler(req -> {
      int n = served.incrementAndGet();
      StringBuilder xml = new StringBuilder("<rss version=\"2.0\"><channel><title>g</title>");
      for (int i = 1; i <= n + 1; i++) {
        xml.append("<item><guid>g").append(i).append("</guid><title>t").append(i)
            .append("</title><pubDate>Mon, 01 Jan 2024 10:").append(String.format("%02d", i)).append(":00 GMT</pubDate></item>");
      }
      req.response().putHeader("Content-Type", "application/rss+xml").end(xml.append("</channel></rss>").toString());
    });
    growing.listen(0, "127.0.0.1").await();
    List<JsonObject> runs = new CopyOnWriteArrayList<>();
    fixture.vertx().eventBus().<JsonObject>consumer("fanin.feed.growing", m -> runs.add(m.body())).completion().await();
    JsonObject feed = definition(source("g", "http://127.0.0.1:" + growing.actualPort() + "/feed"))
        .put("merge", new JsonObject().put("items", true)).put("schedule", new JsonObject().put("everyMs", 100));
    assertEquals(201, fixture.fanin().client.put("/v1/feeds/growing").putHeader("Content-Type", "application/json")
        .sendBuffer(feed.toBuffer()).await().statusCode());
    assertTrue(Eventually.eventually(5000, () -> runs.size() >= 3), "runs: " + runs.size());
    fixture.fanin().client.delete("/v1/feeds/growing").send().await();
    assertEquals(2, runs.get(0).getJsonArray("items").size(), "the first run publishes everything");
    for (int r = 1; r < 3; r++) {
      JsonArray fresh = runs.get(r).getJsonArray("items");
      assertEquals(1, fresh.size(), "later runs publish only the new item: " + fresh);
      assertEquals("g" + (r + 2), fresh.getJsonObject(0).getString("id"));
    }
    growing.close().await();
  }
}
