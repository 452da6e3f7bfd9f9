package dev.fanin.feedparse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Relative links resolved against xml:base, nested xml:base and the feed's URL. */
class FeedLinksTest {

  private final FeedParser parser = new FeedParser();

  private ParsedFeed parse(String xml, String baseUrl) throws FeedParseException {
    return parser.parse(xml.getBytes(StandardCharsets.UTF_8), null, baseUrl);
  }

  @Test
  void rssLinksResolveAgainstTheFeedUrl() throws Exception {
    ParsedFeed feed = parse("<rss><channel><link>/</link><item><link>posts/1.html</link></item>"
        + "<item><link>//cdn.example.net/x</link></item></channel></rss>", "https://example.com/blog/rss.xml");
    assertEquals("https://example.com/", feed.link());
    assertEquals("https://example.com/blog/posts/1.html", feed.items().get(0).link());
    assertEquals("https://cdn.example.net/x", feed.items().get(1).link());
  }

  @Test
  void atomLinksResolveAgainstNestedXmlBase() throws Exception {
    ParsedFeed feed = parse("""
        <feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://example.org/root/">
          <link href="home"/>
          <entry xml:base="entries/">
            <id>1</id><link href="one.html"/>
          </entry>
          <entry xml:base="/abs/">
            <id>2</id><link xml:base="http://other.example/x/" href="../two.html"/>
          </entry>
          <entry><id>3</id><link href="three.html"/></entry>
        </feed>
        """, "http://fetched.example/feed.atom");
    assertEquals("http://example.org/root/home", feed.link());
    assertEquals("http://example.org/root/entries/one.html", feed.items().get(0).link());
    assertEquals("http://other.example/two.html", feed.items().get(1).link());
    assertEquals("http://example.org/root/three.html", feed.items().get(2).link());
  }

  @Test
  void relativeXmlBaseResolvesAgainstTheFeedUrl() throws Exception {
    ParsedFeed feed = parse("""
        <rss xml:base="sub/"><channel><item><link>a</link></item></channel></rss>
        """, "http://example.com/dir/feed");
    assertEquals("http://example.com/dir/sub/a", feed.items().get(0).link());
  }

  @Test
  void withoutABaseRelativeLinksStayAsTheyAre() throws Exception {
    ParsedFeed feed = parse("<rss><channel><item><link>/a b</link></item></channel></rss>", null);
    assertEquals("/a b", feed.items().get(0).link());
  }

  @ParameterizedTest(name = "{0} + {1} -> {2}")
  @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
      http://example.com          | x                    | http://example.com/x
      http://example.com/a/b      | ?q=1                 | http://example.com/a/b?q=1
      http://example.com/a/b      | #frag                | http://example.com/a/b#frag
      http://example.com/a/b      | ../c                 | http://example.com/c
      http://example.com/a/       | with space.html      | http://example.com/a/with%20space.html
      http://example.com/a/       | ünï/cødé             | http://example.com/a/ünï/cødé
      http://example.com/         | https://other.test/x | https://other.test/x
      http://example.com/         | mailto:me@example.com | mailto:me@example.com
      not a base                  | x                    | x
      null                        | x                    | x
      http://example.com/         | javascript:alert(1)  | null
      http://example.com/         | 'data:text/html,x'   | null
      http://example.com/         | '  '                 | null
      """)
  void resolves(String base, String ref, String expected) {
    assertEquals(expected, Links.resolve(base, ref));
  }
}
