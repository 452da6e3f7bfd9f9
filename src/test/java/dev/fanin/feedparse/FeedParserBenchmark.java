package dev.fanin.feedparse;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Parse throughput on a generated ~1 MB RSS 2.0 and ~1 MB Atom 1.0 document: a warmed loop, timed, printed; no
 * assertion on speed. Run with {@code mvn test -Dtest=FeedParserBenchmark -Dfanin.bench=true}, or its main.
 */
class FeedParserBenchmark {

  static final int TARGET_BYTES = 1024 * 1024;

  @Test
  @EnabledIfSystemProperty(named = "fanin.bench", matches = "true")
  void measure() throws Exception {
    main(new String[0]);
  }

  public static void main(String[] args) throws Exception {
    FeedParser parser = new FeedParser();
    run(parser, "RSS 2.0", rss(TARGET_BYTES));
    run(parser, "Atom 1.0", atom(TARGET_BYTES));
  }

  private static void run(FeedParser parser, String name, byte[] body) throws FeedParseException {
    int items = parser.parse(body, "application/xml", "http://example.com/feed").items().size();
    long warmUntil = System.nanoTime() + 3_000_000_000L;
    while (System.nanoTime() < warmUntil) {
      parser.parse(body, "application/xml", "http://example.com/feed");
    }
    int runs = 0;
    long start = System.nanoTime();
    long elapsed;
    do {
      parser.parse(body, "application/xml", "http://example.com/feed");
      runs++;
      elapsed = System.nanoTime() - start;
    } while (elapsed < 5_000_000_000L);
    double seconds = elapsed / 1e9;
    System.out.printf(Locale.ROOT, "%-8s %,d bytes, %,d items: %.2f ms/parse, %,.0f items/s, %.1f MB/s%n", name,
        body.length, items, seconds * 1000 / runs, items * runs / seconds, body.length * (double) runs / seconds / 1e6);
  }

  /** An RSS 2.0 document of about {@code bytes} bytes whose items look like a blog's. */
  static byte[] rss(int bytes) {
    StringBuilder doc = new StringBuilder("""
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
        <title>Benchmark &amp; co</title><link>http://example.com/</link>
        <lastBuildDate>Tue, 02 Jan 2024 03:04:05 GMT</lastBuildDate>
        """);
    for (int i = 0; doc.length() < bytes - 1000; i++) {
      doc.append("<item><title>Post number ").append(i).append(" &#8212; about &lt;things&gt;</title>")
          .append("<link>http://example.com/posts/").append(i).append("</link>")
          .append("<guid isPermaLink=\"false\">post-").append(i).append("</guid>")
          .append("<pubDate>Mon, ").append(String.format(Locale.ROOT, "%02d", i % 28 + 1))
          .append(" Jan 2024 10:00:00 +0100</pubDate>")
          .append("<dc:creator>Author ").append(i % 7).append("</dc:creator>")
          .append("<category>news</category><category>topic-").append(i % 13).append("</category>")
          .append("<description>").append(paragraph(i)).append("</description></item>\n");
    }
    return doc.append("</channel></rss>\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** An Atom 1.0 document of about {@code bytes} bytes, with the same items as {@link #rss}. */
  static byte[] atom(int bytes) {
    StringBuilder doc = new StringBuilder("""
        <?xml version="1.0" encoding="UTF-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://example.com/">
        <title type="html">Benchmark &amp;amp; co</title><link href="/"/><id>urn:bench</id>
        <updated>2024-01-02T03:04:05Z</updated>
        """);
    for (int i = 0; doc.length() < bytes - 1000; i++) {
      doc.append("<entry><title type=\"html\">Post number ").append(i).append(" &amp;#8212; about things</title>")
          .append("<link rel=\"alternate\" type=\"text/html\" href=\"posts/").append(i).append("\"/>")
          .append("<id>tag:example.com,2024:post-").append(i).append("</id>")
          .append("<published>2024-01-").append(String.format(Locale.ROOT, "%02d", i % 28 + 1))
          .append("T10:00:00+01:00</published><updated>2024-01-29T10:00:00Z</updated>")
          .append("<author><name>Author ").append(i % 7).append("</name></author>")
          .append("<category term=\"news\"/><category term=\"topic-").append(i % 13).append("\"/>")
          .append("<summary type=\"html\">").append(paragraph(i)).append("</summary></entry>\n");
    }
    return doc.append("</feed>\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A paragraph of escaped HTML with a link and an entity, as blogs put in descriptions. */
  private static String paragraph(int i) {
    return "&lt;p&gt;Lorem ipsum dolor sit amet, &lt;a href=\"http://example.com/" + i + "\"&gt;consectetur&lt;/a&gt;"
        + " adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim"
        + " veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat &amp;amp; more."
        + " Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur."
        + "&lt;/p&gt;";
  }
}
