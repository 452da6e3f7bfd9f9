package dev.fanin.feedwrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.SyndFeedInput;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.xml.sax.InputSource;

/** The three formats, read back by independent parsers, whatever the items' text holds. */
class FeedDocumentTest {
  static final String HOSTILE = "\u0001<script>alert(1)</script> ]]> \ud800 & \"end\"";
  static final FeedHead HEAD = new FeedHead("news", "urn:fanin:feed:news", "http://127.0.0.1/v1/feeds/news/feed.atom",
      Instant.parse("2024-01-03T00:00:00Z"));

  static List<TimelineItem> items() {
    return List.of(
        TimelineItem.of(new JsonObject().put("id", "urn:x:1").put("title", HOSTILE).put("link", "https://a.example/1?a=1&b=2")
            .put("published", "2024-01-02T10:00:00Z").put("updated", "2024-01-03T00:00:00Z").put("author", "Ann \u0002")
            .put("summary", HOSTILE).put("categories", new JsonArray().add("x]]>")).put("source", "a")),
        TimelineItem.of(new JsonObject().put("id", "plain id 2").put("source", "b")));
  }

  static SyndFeed rome(Buffer body) throws Exception {
    return new SyndFeedInput().build(new InputSource(new ByteArrayInputStream(body.getBytes())));
  }

  static void wellFormed(Buffer body) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.newDocumentBuilder().parse(new ByteArrayInputStream(body.getBytes()));
  }

  @Test
  void hostileTextGivesWellFormedAtomThatKeepsItAsText() throws Exception {
    Buffer atom = FeedDocument.write(FeedFormat.ATOM, HEAD, items());
    wellFormed(atom);
    assertFalse(atom.toString().contains("<script"), atom.toString());
    SyndFeed feed = rome(atom);
    assertEquals("atom_1.0", feed.getFeedType());
    SyndEntry first = feed.getEntries().get(0);
    String clean = "<script>alert(1)</script> ]]>  & \"end\"";
    assertEquals(clean, first.getTitle());
    assertEquals("text", first.getTitleEx().getType());
    assertEquals(clean, first.getDescription().getValue());
    assertEquals("urn:x:1", first.getUri());
    assertEquals("https://a.example/1?a=1&b=2", first.getLink());
    assertEquals(Instant.parse("2024-01-02T10:00:00Z"), first.getPublishedDate().toInstant());
    assertEquals(Instant.parse("2024-01-03T00:00:00Z"), first.getUpdatedDate().toInstant());
    assertEquals("Ann", first.getAuthor());
    assertTrue(first.getCategories().stream().anyMatch(c -> c.getName().equals("a")
        && FeedDocument.SOURCE_SCHEME.equals(c.getTaxonomyUri())), "source category");
    SyndEntry second = feed.getEntries().get(1);
    assertEquals(FeedDocument.atomId("plain id 2"), second.getUri());
    assertTrue(second.getUri().startsWith("urn:fanin:item:"));
    assertEquals(Instant.parse("2024-01-03T00:00:00Z"), second.getUpdatedDate().toInstant(), "undated: the feed's date");
  }

  @Test
  void hostileTextGivesWellFormedRssWhoseDescriptionIsEscapedHtml() throws Exception {
    Buffer rss = FeedDocument.write(FeedFormat.RSS, HEAD, items());
    wellFormed(rss);
    SyndFeed feed = rome(rss);
    assertEquals("rss_2.0", feed.getFeedType());
    SyndEntry first = feed.getEntries().get(0);
    assertEquals("<script>alert(1)</script> ]]>  & \"end\"", first.getTitle());
    // a reader renders the description as HTML: the script is text there, not markup
    String description = first.getDescription().getValue();
    assertFalse(description.contains("<script"), description);
    assertTrue(description.contains("&lt;script&gt;"), description);
    assertEquals("urn:x:1", first.getUri());
    assertEquals(Instant.parse("2024-01-02T10:00:00Z"), first.getPublishedDate().toInstant());
    assertEquals("Ann", first.getAuthor());
    assertTrue(first.getCategories().stream().anyMatch(c -> c.getName().equals("a")
        && FeedDocument.SOURCE_SCHEME.equals(c.getTaxonomyUri())));
    assertEquals("plain id 2", feed.getEntries().get(1).getUri());
  }

  @Test
  void jsonFeedHasTheRequiredFieldsAndNoIllegalCharacters() {
    Buffer json = FeedDocument.write(FeedFormat.JSON_FEED, HEAD, items());
    JsonObject feed = new JsonObject(json);
    assertEquals("https://jsonfeed.org/version/1.1", feed.getString("version"));
    assertEquals("news", feed.getString("title"));
    JsonObject first = feed.getJsonArray("items").getJsonObject(0);
    assertEquals("urn:x:1", first.getString("id"));
    assertEquals("<script>alert(1)</script> ]]>  & \"end\"", first.getString("content_text"));
    assertNull(first.getString("content_html"));
    assertEquals("2024-01-02T10:00:00Z", first.getString("date_published"));
    assertEquals("a", first.getJsonObject("_fanin").getString("source"));
    assertEquals("Ann", first.getJsonArray("authors").getJsonObject(0).getString("name"));
    JsonObject second = feed.getJsonArray("items").getJsonObject(1);
    assertEquals("plain id 2", second.getString("id"));
    assertTrue(second.containsKey("content_text"), "1.1 asks for content_html or content_text");
  }

  @Test
  void textCharsDropsOnlyWhatXmlCannotHold() {
    assertEquals("a\tb\n\ud83d\ude00c", TextChars.clean("a\u0000\tb\n\ud83d\ude00\ud800c\uFFFE"));
    String same = "plain text";
    assertTrue(same == TextChars.clean(same));
  }
}
