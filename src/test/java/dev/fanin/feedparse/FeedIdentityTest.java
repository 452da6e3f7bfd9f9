package dev.fanin.feedparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Item ids: own id, else link, else a stable hash; repeats within a document stay distinct. */
class FeedIdentityTest {

  private final FeedParser parser = new FeedParser();

  private List<String> ids(String xml) throws FeedParseException {
    return parser.parse(xml.getBytes(StandardCharsets.UTF_8), null, "http://example.com/")
        .items().stream().map(FeedItem::id).toList();
  }

  @Test
  void guidThenLinkThenHash() throws Exception {
    List<String> ids = ids("""
        <rss><channel>
          <item><guid isPermaLink="false">  guid-1  </guid><link>http://example.com/1</link></item>
          <item><link>/2</link></item>
          <item><title>Three</title><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate></item>
        </channel></rss>
        """);
    assertEquals("guid-1", ids.get(0));
    assertEquals("http://example.com/2", ids.get(1));
    // SHA-1 of "Three\n2024-01-01T00:00:00Z": the title and the normalised date
    assertEquals("sha1:" + sha1("Three\n2024-01-01T00:00:00Z"), ids.get(2));
  }

  @Test
  void atomIdsAreKeptVerbatim() throws Exception {
    List<String> ids = ids("""
        <feed xmlns="http://www.w3.org/2005/Atom">
          <entry><id>tag:example.com,2024:1</id><link href="/x"/></entry>
          <entry><id>/relative</id></entry>
        </feed>
        """);
    assertEquals(List.of("tag:example.com,2024:1", "/relative"), ids);
  }

  @Test
  void hashedIdsAreStableAcrossParsesAndDifferByContent() throws Exception {
    String doc = "<rss><channel><item><title>A</title></item><item><title>B</title></item></channel></rss>";
    List<String> first = ids(doc);
    assertEquals(first, ids(doc));
    assertNotEquals(first.get(0), first.get(1));
    assertTrue(first.get(0).matches("sha1:[0-9a-f]{40}"), first.get(0));
  }

  @Test
  void repeatedIdsGetSuffixes() throws Exception {
    List<String> ids = ids("""
        <rss><channel>
          <item><guid>same</guid></item>
          <item><guid>same</guid></item>
          <item><guid>same#2</guid></item>
          <item><guid>same</guid></item>
          <item><title>T</title></item>
          <item><title>T</title></item>
        </channel></rss>
        """);
    String hash = "sha1:" + sha1("T\n");
    assertEquals(List.of("same", "same#2", "same#2#2", "same#3", hash, hash + "#2"), ids);
    assertEquals(ids.size(), ids.stream().distinct().count());
  }

  @Test
  void permalinkGuidIsTheLinkWhenThereIsNone() throws Exception {
    ParsedFeed feed = parser.parse(("<rss><channel><item><guid>http://example.com/p/1</guid></item>"
        + "<item><guid isPermaLink=\"false\">http://example.com/p/2</guid></item>"
        + "<item><guid>not-a-url</guid></item></channel></rss>").getBytes(StandardCharsets.UTF_8), null, null);
    assertEquals("http://example.com/p/1", feed.items().get(0).link());
    assertEquals(null, feed.items().get(1).link());
    assertEquals(null, feed.items().get(2).link());
  }

  private static String sha1(String s) throws Exception {
    byte[] digest = java.security.MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8));
    return java.util.HexFormat.of().formatHex(digest);
  }
}
