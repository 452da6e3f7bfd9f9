package dev.fanin.feedparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.ParserWords;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each supported format read into the one shape, and documents that are no feed refused. */
class FeedFormatsTest {

  private static final String BASE = "http://example.com/blog/feed.xml";
  private final FeedParser parser = new FeedParser();

  private ParsedFeed parse(String document) throws FeedParseException {
    return parser.parse(document.getBytes(StandardCharsets.UTF_8), null, BASE);
  }

  @Test
  void rss20() throws Exception {
    ParsedFeed feed = parse("""
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
          <channel>
            <title>Example blog</title>
            <link>http://example.com/</link>
            <lastBuildDate>Tue, 02 Jan 2024 03:04:05 GMT</lastBuildDate>
            <image><title>not the feed title</title><link>http://example.com/image</link></image>
            <item>
              <title>First post</title>
              <link>http://example.com/1</link>
              <guid isPermaLink="false">post-1</guid>
              <pubDate>Mon, 01 Jan 2024 10:00:00 +0100</pubDate>
              <author>jo@example.com (Jo Bloggs)</author>
              <description>&lt;p&gt;Hello &lt;b&gt;world&lt;/b&gt;&lt;/p&gt;</description>
              <category>news</category>
              <category>tech</category>
              <dc:subject>news</dc:subject>
            </item>
          </channel>
        </rss>
        """);
    assertEquals("Example blog", feed.title());
    assertEquals("http://example.com/", feed.link());
    assertEquals("2024-01-02T03:04:05Z", feed.updated());
    FeedItem item = feed.items().get(0);
    assertEquals(new FeedItem("post-1", "First post", "http://example.com/1", "2024-01-01T09:00:00Z", null,
        "Jo Bloggs", "Hello world", List.of("news", "tech")), item);
  }

  @Test
  void rss091WithTheNetscapeDoctypeAndHtmlEntities() throws Exception {
    ParsedFeed feed = parse("""
        <?xml version="1.0" encoding="ISO-8859-1"?>
        <!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
          "http://my.netscape.com/publish/formats/rss-0.91.dtd">
        <rss version="0.91">
          <channel>
            <title>Caf&eacute;&nbsp;news</title>
            <link>http://example.com/</link>
            <item><title>Tom &amp; Jerry&hellip;</title><link>http://example.com/tj</link></item>
          </channel>
        </rss>
        """);
    assertEquals("Café news", feed.title());
    assertEquals("Tom & Jerry…", feed.items().get(0).title());
    assertEquals("http://example.com/tj", feed.items().get(0).id());
  }

  @Test
  void rss090() throws Exception {
    ParsedFeed feed = parse("""
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
                 xmlns="http://my.netscape.com/rdf/simple/0.9/">
          <channel><title>Old</title><link>http://example.com/</link></channel>
          <item><title>One</title><link>http://example.com/one</link></item>
          <item><title>Two</title><link>http://example.com/two</link></item>
        </rdf:RDF>
        """);
    assertEquals("Old", feed.title());
    assertEquals(List.of("One", "Two"), feed.items().stream().map(FeedItem::title).toList());
  }

  @Test
  void rss10Rdf() throws Exception {
    ParsedFeed feed = parse("""
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
                 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
          <channel rdf:about="http://example.com/rss">
            <title>RDF site</title><link>http://example.com/</link><dc:date>2003-12-31T10:14:55-08:00</dc:date>
            <items><rdf:Seq><rdf:li rdf:resource="http://example.com/a"/></rdf:Seq></items>
          </channel>
          <item rdf:about="http://example.com/a">
            <title>A</title><link>http://example.com/a.html</link>
            <dc:creator>Ann</dc:creator><dc:date>2003-12-31</dc:date>
            <content:encoded><![CDATA[<p>Full <i>text</i></p>]]></content:encoded>
          </item>
        </rdf:RDF>
        """);
    assertEquals("RDF site", feed.title());
    assertEquals("2003-12-31T18:14:55Z", feed.updated());
    FeedItem item = feed.items().get(0);
    assertEquals("http://example.com/a", item.id());
    assertEquals("http://example.com/a.html", item.link());
    assertEquals("Ann", item.author());
    assertEquals("2003-12-31T00:00:00Z", item.published());
    assertEquals("2003-12-31T00:00:00Z", item.updated());
    assertEquals("Full text", item.summary());
  }

  @Test
  void atom10() throws Exception {
    ParsedFeed feed = parse("""
        <feed xmlns="http://www.w3.org/2005/Atom">
          <title type="html">Atom &lt;em&gt;feed&lt;/em&gt;</title>
          <link rel="self" href="http://example.com/feed.atom"/>
          <link href="http://example.com/"/>
          <updated>2024-01-02T03:04:05+02:00</updated>
          <author><name>Feed author</name></author>
          <entry>
            <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
            <title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">An <b>XHTML</b> &amp; title</div></title>
            <link rel="enclosure" href="http://example.com/a.mp3"/>
            <link rel="alternate" type="text/html" href="/2024/entry"/>
            <published>2024-01-01T00:00:00Z</published>
            <updated>2024-01-02T00:00:00Z</updated>
            <author><name>Ann</name><email>ann@example.com</email></author>
            <summary>Plain &lt;b&gt; is literal in text</summary>
            <content type="html">&lt;p&gt;Content&lt;/p&gt;</content>
            <category term="a" label="Label A"/><category term="b"/>
          </entry>
        </feed>
        """);
    assertEquals("Atom feed", feed.title());
    assertEquals("http://example.com/", feed.link());
    assertEquals("2024-01-02T01:04:05Z", feed.updated());
    assertEquals(new FeedItem("urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a", "An XHTML & title",
        "http://example.com/2024/entry", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z", "Ann",
        "Plain <b> is literal in text", List.of("a", "b")), feed.items().get(0));
  }

  @Test
  void atom03WithModes() throws Exception {
    ParsedFeed feed = parse("""
        <feed version="0.3" xmlns="http://purl.org/atom/ns#">
          <title mode="escaped" type="text/html">Atom &lt;b&gt;0.3&lt;/b&gt;</title>
          <link rel="alternate" type="text/html" href="http://example.com/"/>
          <modified>2003-12-13T18:30:02Z</modified>
          <entry>
            <title mode="base64" type="text/plain">QmFzZSBzaXh0eS1mb3Vy</title>
            <link rel="alternate" type="text/html" href="http://example.com/2003/12/13/atom03"/>
            <id>tag:example.com,2003:3.2397</id>
            <issued>2003-12-13T08:29:29-04:00</issued>
            <modified>2003-12-13T18:30:02Z</modified>
            <summary type="application/xhtml+xml" mode="xml"><div xmlns="http://www.w3.org/1999/xhtml">x<br/>y</div></summary>
          </entry>
        </feed>
        """);
    assertEquals("Atom 0.3", feed.title());
    assertEquals("2003-12-13T18:30:02Z", feed.updated());
    FeedItem item = feed.items().get(0);
    assertEquals("Base sixty-four", item.title());
    assertEquals("tag:example.com,2003:3.2397", item.id());
    assertEquals("2003-12-13T12:29:29Z", item.published());
    assertEquals("2003-12-13T18:30:02Z", item.updated());
    assertEquals("x y", item.summary());
  }

  @Test
  void jsonFeed11() throws Exception {
    ParsedFeed feed = parse("""
        {"version": "https://jsonfeed.org/version/1.1", "title": "JSON feed",
         "home_page_url": "https://example.org/",
         "items": [
           {"id": "2", "title": "Second", "url": "/second", "date_published": "2024-01-02T03:04:05+01:00",
            "date_modified": "2024-01-03T00:00:00Z", "authors": [{"name": "Ann"}],
            "content_html": "<p>Hello</p>", "tags": ["a", "b", "a"]},
           {"id": 1, "content_text": "No title", "author": {"url": "https://example.org/jo"}}
         ]}
        """);
    assertEquals("JSON feed", feed.title());
    assertEquals("https://example.org/", feed.link());
    assertNull(feed.updated());
    assertEquals(new FeedItem("2", "Second", "http://example.com/second", "2024-01-02T02:04:05Z",
        "2024-01-03T00:00:00Z", "Ann", "Hello", List.of("a", "b")), feed.items().get(0));
    FeedItem second = feed.items().get(1);
    assertEquals("1", second.id());
    assertEquals("No title", second.summary());
    assertEquals("https://example.org/jo", second.author());
  }

  @Test
  void jsonFeed10() throws Exception {
    ParsedFeed feed = parse("""
        {"version": "https://jsonfeed.org/version/1", "title": "Old JSON",
         "items": [{"id": "x", "summary": "S", "content_text": "T", "author": {"name": "Jo"}}]}
        """);
    assertEquals("Old JSON", feed.title());
    assertEquals("S", feed.items().get(0).summary());
    assertEquals("Jo", feed.items().get(0).author());
  }

  @Test
  void jsonThatIsNoJsonFeedIsRefused() {
    FeedParseException e = assertThrows(FeedParseException.class, () -> parse("{\"hello\": 1}"));
    assertEquals("not a JSON Feed: version is missing", e.getMessage());
    FeedParseException truncated = assertThrows(FeedParseException.class,
        () -> parse("{\"version\": \"https://jsonfeed.org/version/1\","));
    assertEquals("malformed JSON at line 1, column 46: unexpected end of input: an object is not closed",
        truncated.getMessage());
    FeedParseException nan = assertThrows(FeedParseException.class,
        () -> parse("{\"version\": \"https://jsonfeed.org/version/1\", \"n\": NaN}"));
    assertEquals("malformed JSON at line 1, column 55: NaN is not a JSON number", nan.getMessage());
    FeedParseException array = assertThrows(FeedParseException.class, () -> parse("[1, 2]"));
    ParserWords.assertNone(array.getMessage());
  }

  @Test
  void htmlPageIsRefused() {
    FeedParseException e = assertThrows(FeedParseException.class,
        () -> parse("<!DOCTYPE html><html><head><title>x</title></head></html>"));
    assertEquals("not a feed: the root element is <html>", e.getMessage());
  }

  @Test
  void malformedXmlIsRefusedWithAOneLineMessage() {
    FeedParseException e = assertThrows(FeedParseException.class,
        () -> parse("<rss><channel><title>x</title></channel>"));
    assertTrue(e.getMessage().startsWith("malformed XML"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertEquals("empty document", assertThrows(FeedParseException.class, () -> parse(" \n ")).getMessage());
    assertThrows(FeedParseException.class, () -> parser.parse(new byte[0], null, null));
  }

  @Test
  void forgivesWhatFeedsGetWrong() throws Exception {
    // an undeclared prefix, a bare ampersand, an unknown entity, a control character, junk before the root,
    // upper-case element names and a declaration after a comment
    ParsedFeed feed = parse("""
        <!-- generated -->
        <?xml version="1.0"?>
        <rss version="2.0"><channel><TITLE>Q&A &madeup; \u0001ok</TITLE>
        <item><dc:creator>Ann</dc:creator><link>http://example.com/?a=1&b=2</link></item>
        </channel></rss>
        """);
    assertEquals("Q&A &madeup; ok", feed.title());
    assertEquals("Ann", feed.items().get(0).author());
    assertEquals("http://example.com/?a=1&b=2", feed.items().get(0).link());
  }

  @Test
  void toJsonHasTheAgreedShapeWithNulls() throws Exception {
    ParsedFeed feed = parse("<rss><channel><item><title>Only a title</title></item></channel></rss>");
    JsonObject json = feed.toJson();
    assertEquals(List.of("title", "link", "updated", "items"), List.copyOf(json.fieldNames()));
    assertTrue(json.containsKey("title") && json.getValue("title") == null);
    JsonObject item = json.getJsonArray("items").getJsonObject(0);
    assertEquals(List.of("id", "title", "link", "published", "updated", "author", "summary", "categories"),
        List.copyOf(item.fieldNames()));
    assertTrue(item.getString("id").startsWith("sha1:"));
    assertTrue(item.containsKey("link") && item.getValue("link") == null);
    assertEquals(new JsonArray(), item.getJsonArray("categories"));
    assertEquals("{\"title\":null,\"link\":null,\"updated\":null,\"items\":[{\"id\":\"" + item.getString("id")
        + "\",\"title\":\"Only a title\",\"link\":null,\"published\":null,\"updated\":null,\"author\":null,"
        + "\"summary\":null,\"categories\":[]}]}", json.encode());
  }

  @Test
  void looksLikeFeed() {
    assertTrue(FeedParser.looksLikeFeed(new byte[0], "application/rss+xml; charset=utf-8"));
    assertTrue(FeedParser.looksLikeFeed(new byte[0], "application/feed+json"));
    assertTrue(FeedParser.looksLikeFeed(bytes("\uFEFF<?xml version=\"1.0\"?>\n<!-- c --><rss version=\"2.0\">"),
        "text/xml"));
    assertTrue(FeedParser.looksLikeFeed(bytes("<feed xmlns=\"http://www.w3.org/2005/Atom\">"), null));
    assertTrue(FeedParser.looksLikeFeed(bytes("<rdf:RDF xmlns:rdf=\"x\">"), "application/xml"));
    assertTrue(FeedParser.looksLikeFeed(
        "<rss/>".getBytes(StandardCharsets.UTF_16), "text/html"));
    assertTrue(FeedParser.looksLikeFeed(bytes("{\"version\": \"https://jsonfeed.org/version/1.1\"}"), null));
    assertTrue(FeedParser.looksLikeFeed(bytes("{\"version\":\"https:\\/\\/jsonfeed.org\\/version\\/1\"}"), null));
    assertFalse(FeedParser.looksLikeFeed(bytes("{\"version\": \"2\"}"), "application/json"));
    assertTrue(FeedParser.looksLikeFeed(bytes("{\n  \"title\": \"t\",\n  \"version\" :\n \"https://jsonfeed.org/version/1\"}"), null));
    assertFalse(FeedParser.looksLikeFeed(bytes("{\"home\": \"https://jsonfeed.org/\", \"version\": 1}"), null));
    assertFalse(FeedParser.looksLikeFeed(bytes("<!DOCTYPE html><html>"), "text/html"));
    assertFalse(FeedParser.looksLikeFeed(bytes("hello"), "text/plain"));
    assertFalse(FeedParser.looksLikeFeed(new byte[0], null));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
