package dev.fanin.feedparse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** HTML in titles and summaries comes out as trimmed plain text. */
class FeedTextTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
      '<b>Bold</b> move'                          | Bold move
      '  lots   of\t\n space  '                   | lots of space
      'Tom &amp; Jerry &#8212; &#x2014; &hellip;' | Tom & Jerry — — …
      'AT&T & friends'                            | AT&T & friends
      'a < b and c > d'                           | a < b and c > d
      'x<br>y<p>z</p>'                            | x y z
      'Ex<i>am</i>ple'                            | Example
      '<script>alert(1)</script>Safe<style>p{}</style>' | Safe
      '<!-- hidden -->Shown'                      | Shown
      '<a href="x>y" title=''q''>link</a>'        | link
      '<a href=http://example.com/">example</a>'  | example
      '&lt;b&gt;escaped twice&lt;/b&gt;'          | <b>escaped twice</b>
      '&nbsp;&nbsp;nbsp&nbsp;'                    | nbsp
      '&#0;&#xD800;bad refs'                      | \uFFFD\uFFFDbad refs
      '<img src="x.png">'                         | null
      ''                                          | null
      """)
  void htmlToText(String html, String expected) {
    assertEquals(expected == null ? null : expected.replace("\\uFFFD", "\uFFFD"), HtmlText.toText(html));
  }

  @Test
  void titlesInEveryFormatAreText() throws Exception {
    FeedParser parser = new FeedParser();
    String rss = "<rss><channel><title>  <![CDATA[<b>CDATA</b> &amp; co]]>  </title>"
        + "<item><title>Raw <em>markup</em> inside</title></item>"
        + "<item><title>Escaped &lt;em&gt;markup&lt;/em&gt; &amp;amp; more</title></item></channel></rss>";
    ParsedFeed feed = parser.parse(rss.getBytes(StandardCharsets.UTF_8), null, null);
    assertEquals("CDATA & co", feed.title());
    assertEquals("Raw markup inside", feed.items().get(0).title());
    assertEquals("Escaped markup & more", feed.items().get(1).title());

    String atom = """
        <feed xmlns="http://www.w3.org/2005/Atom">
          <title type="text">  5 &lt; 6 &amp;&amp; 7 &gt; 6  </title>
          <entry><title type="html">&lt;a href="x"&gt;Linked&lt;/a&gt; &amp;amp; done</title></entry>
          <entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">A &lt;tag&gt; as <i>text</i></div></title></entry>
        </feed>
        """;
    ParsedFeed atomFeed = parser.parse(atom.getBytes(StandardCharsets.UTF_8), null, null);
    assertEquals("5 < 6 && 7 > 6", atomFeed.title());
    assertEquals("Linked & done", atomFeed.items().get(0).title());
    assertEquals("A <tag> as text", atomFeed.items().get(1).title());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      jo@example.com (Jo Bloggs)  | Jo Bloggs
      Jo Bloggs (jo@example.com)  | Jo Bloggs
      Jo Bloggs <jo@example.com>  | Jo Bloggs
      jo@example.com              | jo@example.com
      Jo (the editor) Bloggs      | Jo (the editor) Bloggs
      """)
  void authors(String raw, String expected) {
    assertEquals(expected, XmlFeedReader.person(raw));
  }
}
