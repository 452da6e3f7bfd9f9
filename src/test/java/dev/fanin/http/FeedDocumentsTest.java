package dev.fanin.http;

import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.SyndFeedInput;
import dev.fanin.feedwrite.FeedDocument;
import dev.fanin.testing.FaninExtension;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xml.sax.InputSource;

/**
 * A feed's merged timeline read as Atom, JSON Feed and RSS through the whole service, parsed back
 * with Rome (Atom, RSS) and as JSON: items, ids, dates, links and sources against what the fake
 * upstream serves; conditional GETs; scheduled feeds answered from their latest run.
 */
class FeedDocumentsTest {
  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withConfig(new JsonObject()
      .put("feeds", new JsonObject().put("minScheduleMs", 50)));

  static String base;

  @BeforeAll
  static void feeds() throws Exception {
    base = "http://127.0.0.1:" + fixture.upstream().port();
    put("merged", mergedFeed(base, "/m"));
    put("plain", new JsonObject().put("sources", new JsonArray().add(source("a", base + "/plain"))));
    String hostile = "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"h\",\"items\":[{\"id\":\"h1\","
        + "\"url\":\"https://h.example/1\",\"title\":\"\\u0001<b>bold</b> \\ud800]]> tail\","
        + "\"content_html\":\"<p>hi<script>alert(1)</script></p>\",\"date_published\":\"2024-01-02T12:00:00Z\"}]}";
    put("hostile", new JsonObject()
        .put("sources", new JsonArray().add(source("h", base + "/hostile?type=application%2Ffeed%2Bjson&body="
            + URLEncoder.encode(hostile, StandardCharsets.UTF_8)).put("cache", false)))
        .put("merge", new JsonObject().put("items", true)));
  }

  /** An RSS and an Atom source of {n} items each (3 by default), never cached: each run asks them. */
  static JsonObject mergedFeed(String base, String prefix) {
    return new JsonObject()
        .put("params", new JsonObject().put("n", new JsonObject().put("pattern", "[0-9]").put("default", "3")))
        .put("sources", new JsonArray()
            .add(source("news", base + prefix + "-rss?rss={n}").put("format", "feed").put("cache", false))
            .add(source("tech", base + prefix + "-atom?kind=atom&items={n}").put("cache", false)))
        .put("merge", new JsonObject().put("items", true).put("limit", 50));
  }

  static void put(String name, JsonObject feed) {
    HttpResponse<Buffer> res = fixture.fanin().client.put("/v1/feeds/" + name)
        .putHeader("Content-Type", "application/json").sendBuffer(feed.toBuffer()).await();
    assertEquals(201, res.statusCode(), res.bodyAsString());
  }

  static HttpResponse<Buffer> get(String path, String... headers) {
    var req = fixture.fanin().client.get(path);
    for (int i = 0; i < headers.length; i += 2) {
      req.putHeader(headers[i], headers[i + 1]);
    }
    return req.send().await();
  }

  static SyndFeed rome(HttpResponse<Buffer> res) throws Exception {
    assertEquals(200, res.statusCode(), res.bodyAsString());
    DocumentBuilderFactory strict = DocumentBuilderFactory.newInstance();
    strict.setNamespaceAware(true);
    strict.newDocumentBuilder().parse(new ByteArrayInputStream(res.body().getBytes())); // well formed
    return new SyndFeedInput().build(new InputSource(new ByteArrayInputStream(res.body().getBytes())));
  }

  static String sourceOf(SyndEntry entry) {
    return entry.getCategories().stream().filter(c -> FeedDocument.SOURCE_SCHEME.equals(c.getTaxonomyUri()))
        .map(c -> c.getName()).findFirst().orElse(null);
  }

  /** What the fake upstream serves for n=2: its RSS items are dated 30 Nov 2026, its Atom entries 1 Jan 2026. */
  static final List<String> IDS = List.of("/m-rss-1", "/m-rss-0", "urn:bench:1", "urn:bench:0");
  static final List<Instant> DATES = List.of(Instant.parse("2026-11-30T10:00:01Z"), Instant.parse("2026-11-30T10:00:00Z"),
      Instant.parse("2026-01-01T00:01:00Z"), Instant.parse("2026-01-01T00:00:00Z"));
  static final List<String> SOURCES = List.of("news", "news", "tech", "tech");

  @Test
  void atomCarriesTheMergedItemsOfBothSources() throws Exception {
    HttpResponse<Buffer> res = get("/v1/feeds/merged/feed.atom?n=2");
    assertEquals("application/atom+xml; charset=utf-8", res.getHeader("Content-Type"));
    SyndFeed feed = rome(res);
    assertEquals("atom_1.0", feed.getFeedType());
    assertEquals("merged", feed.getTitle());
    assertEquals("urn:fanin:feed:merged?n=2", feed.getUri());
    assertEquals(DATES.get(0), feed.getPublishedDate().toInstant(), "updated: the newest item's date");
    List<SyndEntry> entries = feed.getEntries();
    assertEquals(4, entries.size());
    for (int i = 0; i < 4; i++) {
      SyndEntry e = entries.get(i);
      assertEquals(FeedDocument.atomId(IDS.get(i)), e.getUri());
      assertEquals(SOURCES.get(i), sourceOf(e));
      assertEquals(DATES.get(i), (i < 2 ? e.getPublishedDate() : e.getUpdatedDate()).toInstant());
    }
    assertEquals("Item 1 of /m-rss", entries.get(0).getTitle());
    assertEquals("https://fake.example/m-rss/1", entries.get(0).getLink());
    assertEquals("urn:bench:1", entries.get(2).getUri(), "an IRI id is kept as it is");
    assertTrue(entries.get(2).getLink().startsWith("https://bench.example/story/1"), entries.get(2).getLink());
    assertEquals("Desk", entries.get(2).getAuthor());
  }

  @Test
  void rssAndJsonFeedCarryTheSameItems() throws Exception {
    SyndFeed rss = rome(get("/v1/feeds/merged/feed.rss?n=2"));
    assertEquals("rss_2.0", rss.getFeedType());
    List<SyndEntry> entries = rss.getEntries();
    assertEquals(IDS, entries.stream().map(SyndEntry::getUri).toList());
    assertEquals(SOURCES, entries.stream().map(FeedDocumentsTest::sourceOf).toList());
    assertEquals(DATES, entries.stream().map(e -> e.getPublishedDate().toInstant()).toList());
    assertEquals("https://fake.example/m-rss/0", entries.get(1).getLink());

    HttpResponse<Buffer> res = get("/v1/feeds/merged/feed.json?n=2");
    assertEquals("application/feed+json; charset=utf-8", res.getHeader("Content-Type"));
    JsonObject json = res.bodyAsJsonObject();
    assertEquals("https://jsonfeed.org/version/1.1", json.getString("version"));
    assertEquals("merged", json.getString("title"));
    JsonArray items = json.getJsonArray("items");
    assertEquals(4, items.size());
    for (int i = 0; i < 4; i++) {
      JsonObject item = items.getJsonObject(i);
      assertEquals(IDS.get(i), item.getString("id"));
      assertEquals(SOURCES.get(i), item.getJsonObject("_fanin").getString("source"));
      assertEquals(DATES.get(i), Instant.parse(item.getString(i < 2 ? "date_published" : "date_modified")));
      assertTrue(item.containsKey("content_text") || item.containsKey("content_html"));
    }
  }

  @Test
  void idsStayTheSameFromRunToRun() throws Exception {
    int before = fixture.upstream().path("/m-rss").requests.get();
    List<String> first = rome(get("/v1/feeds/merged/feed.atom")).getEntries().stream().map(SyndEntry::getUri).toList();
    List<String> second = rome(get("/v1/feeds/merged/feed.atom")).getEntries().stream().map(SyndEntry::getUri).toList();
    assertEquals(before + 2, fixture.upstream().path("/m-rss").requests.get(), "each read ran the feed");
    assertEquals(6, first.size());
    assertEquals(first, second);
  }

  @Test
  void parametersComeFromTheQueryStringAndAreCheckedAsForAggregate() throws Exception {
    assertEquals(2, rome(get("/v1/feeds/merged/feed.atom?n=1")).getEntries().size());
    HttpResponse<Buffer> bad = get("/v1/feeds/merged/feed.rss?n=xx");
    BadInputTest.assertProblem(bad, 400);
    assertTrue(bad.bodyAsString().contains("/params/n"), bad.bodyAsString());
    HttpResponse<Buffer> unknown = get("/v1/feeds/merged/feed.json?m=1");
    BadInputTest.assertProblem(unknown, 400);
    assertTrue(unknown.bodyAsString().contains("/params/m"), unknown.bodyAsString());
    BadInputTest.assertProblem(get("/v1/feeds/merged/feed.json?n=1&n=2"), 400);
  }

  @Test
  void aConditionalGetOfAnUnchangedFeedIs304() {
    HttpResponse<Buffer> first = get("/v1/feeds/merged/feed.atom");
    String etag = first.getHeader("ETag");
    String lastModified = first.getHeader("Last-Modified");
    assertNotNull(etag);
    assertTrue(etag.startsWith("\"") && etag.endsWith("\""), etag);
    assertEquals("Mon, 30 Nov 2026 10:00:02 GMT", lastModified, "the newest item's date");
    assertEquals("no-cache", first.getHeader("Cache-Control"), "a feed run on request is revalidated");
    HttpResponse<Buffer> again = get("/v1/feeds/merged/feed.atom", "If-None-Match", etag);
    assertEquals(304, again.statusCode());
    assertNull(again.body());
    assertEquals(etag, again.getHeader("ETag"));
    assertEquals(304, get("/v1/feeds/merged/feed.atom", "If-None-Match", "\"other\", W/" + etag).statusCode());
    assertEquals(304, get("/v1/feeds/merged/feed.atom", "If-Modified-Since", lastModified).statusCode());
    assertEquals(200, get("/v1/feeds/merged/feed.atom", "If-None-Match", "\"other\"").statusCode());
    assertEquals(200, get("/v1/feeds/merged/feed.atom", "If-None-Match", "\"other\"",
        "If-Modified-Since", lastModified).statusCode(), "If-None-Match decides when present");
    assertEquals(200, get("/v1/feeds/merged/feed.atom", "If-Modified-Since", "Mon, 30 Nov 2026 10:00:01 GMT")
        .statusCode());
    HttpResponse<Buffer> other = get("/v1/feeds/merged/feed.atom?n=1");
    assertNotEquals(etag, other.getHeader("ETag"), "other items, another ETag");
    assertNotEquals(etag, get("/v1/feeds/merged/feed.rss").getHeader("ETag"), "each format has its own");
    HttpResponse<Buffer> head = fixture.fanin().client.request(HttpMethod.HEAD, "/v1/feeds/merged/feed.atom").send().await();
    assertEquals(200, head.statusCode());
    assertEquals(etag, head.getHeader("ETag"));
    assertNull(head.body());
  }

  @Test
  void hostileUpstreamTextStillGivesWellFormedFeedsWithoutMarkup() throws Exception {
    for (String format : new String[] {"atom", "rss"}) {
      SyndFeed feed = rome(get("/v1/feeds/hostile/feed." + format));
      SyndEntry entry = feed.getEntries().get(0);
      assertEquals("<b>bold</b> ]]> tail", entry.getTitle(), format); // JSON Feed titles are text
      String summary = entry.getDescription().getValue();
      assertFalse(summary.contains("<script") || summary.contains("alert"), summary);
      assertTrue(summary.contains("hi"), summary);
      assertEquals("https://h.example/1", entry.getLink());
    }
    JsonObject item = get("/v1/feeds/hostile/feed.json").bodyAsJsonObject().getJsonArray("items").getJsonObject(0);
    assertEquals("<b>bold</b> ]]> tail", item.getString("title"));
  }

  @Test
  void aFeedWithoutAMergedTimelineIs409AndAnUnknownOne404() {
    HttpResponse<Buffer> plain = get("/v1/feeds/plain/feed.atom");
    BadInputTest.assertProblem(plain, 409);
    assertEquals("urn:fanin:problem:no-merged-timeline", plain.bodyAsJsonObject().getString("type"));
    BadInputTest.assertProblem(get("/v1/feeds/nosuch/feed.rss"), 404);
  }

  @Test
  void aScheduledFeedIsReadFromItsLatestRunWithoutAskingTheSources() throws Exception {
    CompletableFuture<JsonObject> run = new CompletableFuture<>();
    fixture.vertx().eventBus().<JsonObject>consumer("fanin.feed.sched", m -> run.complete(m.body())).completion().await();
    put("sched", mergedFeed(base, "/s").put("schedule", new JsonObject().put("everyMs", 600_000)));
    run.get(10, TimeUnit.SECONDS);
    int asked = fixture.upstream().path("/s-rss").requests.get();
    assertEquals(1, asked, "the scheduled run");
    HttpResponse<Buffer> atom = get("/v1/feeds/sched/feed.atom");
    assertEquals(6, rome(atom).getEntries().size());
    assertEquals("max-age=600", atom.getHeader("Cache-Control"));
    assertEquals(6, rome(get("/v1/feeds/sched/feed.rss?n=3")).getEntries().size(), "the default value is the default run");
    assertEquals(6, get("/v1/feeds/sched/feed.json").bodyAsJsonObject().getJsonArray("items").size());
    assertEquals(304, get("/v1/feeds/sched/feed.atom", "If-None-Match", atom.getHeader("ETag")).statusCode());
    assertEquals(asked, fixture.upstream().path("/s-rss").requests.get(), "no new upstream request");
    assertEquals(2, rome(get("/v1/feeds/sched/feed.atom?n=1")).getEntries().size());
    assertEquals(asked + 1, fixture.upstream().path("/s-rss").requests.get(), "other parameters run on request");
    fixture.fanin().client.delete("/v1/feeds/sched").send().await();
  }
}
