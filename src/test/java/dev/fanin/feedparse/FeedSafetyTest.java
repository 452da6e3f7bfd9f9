package dev.fanin.feedparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** XXE, entity expansion and oversized input: nothing is fetched, nothing expands, limits hold. */
class FeedSafetyTest {

  private static final String BILLION_LAUGHS = """
      <?xml version="1.0"?>
      <!DOCTYPE rss [
        <!ENTITY lol "lol">
        <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
        <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
        <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
        <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
        <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
        <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
        <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
        <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
        <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
      ]>
      <rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;&lol9;</title></item></channel></rss>
      """;

  private final FeedParser parser = new FeedParser();

  @Test
  void billionLaughsParsesQuicklyWithoutExpanding() {
    ParsedFeed feed = assertTimeoutPreemptively(Duration.ofSeconds(2),
        () -> parser.parse(BILLION_LAUGHS.getBytes(StandardCharsets.UTF_8), null, null));
    assertEquals("&lol9;", feed.title());
    assertEquals("&lol9;&lol9;", feed.items().get(0).title());
  }

  @Test
  void externalEntitiesAreNeitherReadNorFetched(@TempDir Path dir) throws Exception {
    Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET");
    AtomicInteger connections = new AtomicInteger();
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        while (!server.isClosed()) {
          try {
            server.accept().close();
            connections.incrementAndGet();
          } catch (IOException closed) {
            return;
          }
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      String url = "http://127.0.0.1:" + server.getLocalPort() + "/";
      String doc = """
          <?xml version="1.0"?>
          <!DOCTYPE rss SYSTEM "%1$sdtd" [
            <!ENTITY file SYSTEM "%2$s">
            <!ENTITY web SYSTEM "%1$sentity">
            <!ENTITY %% param SYSTEM "%1$sparam">
            %%param;
          ]>
          <rss version="2.0"><channel><title>&file;|&web;</title>
          <item><description>&file;</description></item></channel></rss>
          """.formatted(url, secret.toUri());
      ParsedFeed feed = parser.parse(doc.getBytes(StandardCharsets.UTF_8), null, null);
      assertEquals("&file;|&web;", feed.title());
      assertFalse(feed.toJson().encode().contains("TOP-SECRET"));
      // give a stray connection the time to show up
      Thread.sleep(200);
      assertEquals(0, connections.get(), "the parser connected to the entity's URL");
    }
  }

  @Test
  void theHardenedFactoryNeitherExpandsNorFetchesEvenIfADoctypeReachedIt(@TempDir Path dir) throws Exception {
    // the cleaner strips every DOCTYPE; this checks the second line of defence on its own
    Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET");
    String xxe = "<!DOCTYPE r [<!ENTITY file SYSTEM \"" + secret.toUri() + "\">]><r>&file;</r>";
    assertFalse(readAllText(xxe).contains("TOP-SECRET"));
    String bomb = BILLION_LAUGHS.substring(BILLION_LAUGHS.indexOf("<!DOCTYPE"));
    assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertTrue(readAllText(bomb).length() < 1000));
  }

  /** All character data the hardened StAX factory yields for a document, or "" when it refuses the document. */
  private static String readAllText(String xml) {
    StringBuilder text = new StringBuilder();
    try {
      XMLStreamReader reader = XmlFeedReader.newFactory().createXMLStreamReader(new StringReader(xml));
      while (reader.hasNext()) {
        if (reader.next() == XMLStreamConstants.CHARACTERS) {
          text.append(reader.getText());
        }
      }
    } catch (XMLStreamException refused) {
      return "";
    }
    return text.toString();
  }

  @Test
  void documentsOverTheSizeLimitAreRefused() {
    FeedParser small = new FeedParser(1024, 10);
    byte[] body = ("<rss><channel><title>" + "x".repeat(2000) + "</title></channel></rss>")
        .getBytes(StandardCharsets.UTF_8);
    FeedParseException e = assertThrows(FeedParseException.class, () -> small.parse(body, null, null));
    assertEquals("document is " + body.length + " bytes, over the limit of 1024", e.getMessage());
  }

  @Test
  void itemsPastTheCapAreDropped() throws Exception {
    StringBuilder doc = new StringBuilder("<rss><channel>");
    for (int i = 0; i < 50; i++) {
      doc.append("<item><guid>").append(i).append("</guid></item>");
    }
    doc.append("<title>after the items</title></channel></rss>");
    ParsedFeed feed = new FeedParser(FeedParser.DEFAULT_MAX_BYTES, 7)
        .parse(doc.toString().getBytes(StandardCharsets.UTF_8), null, null);
    assertEquals(7, feed.items().size());
    assertEquals("6", feed.items().get(6).id());
    assertEquals("after the items", feed.title());

    StringBuilder json = new StringBuilder("{\"version\":\"https://jsonfeed.org/version/1\",\"items\":[");
    for (int i = 0; i < 50; i++) {
      json.append(i == 0 ? "" : ",").append("{\"id\":\"").append(i).append("\"}");
    }
    ParsedFeed jsonFeed = new FeedParser(FeedParser.DEFAULT_MAX_BYTES, 7)
        .parse(json.append("]}").toString().getBytes(StandardCharsets.UTF_8), null, null);
    assertEquals(7, jsonFeed.items().size());
  }

  @Test
  void theDefaultsAreTenMebibytesAndTenThousandItems() {
    assertEquals(10 * 1024 * 1024, FeedParser.DEFAULT_MAX_BYTES);
    assertEquals(10_000, FeedParser.DEFAULT_MAX_ITEMS);
    assertThrows(IllegalArgumentException.class, () -> new FeedParser(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new FeedParser(1, 0));
  }

  @Test
  void deepNestingIsRefusedNotOverflowed() {
    String doc = "<rss><channel>" + "<x>".repeat(100_000) + "</x>".repeat(100_000) + "</channel></rss>";
    FeedParseException e = assertThrows(FeedParseException.class,
        () -> parser.parse(doc.getBytes(StandardCharsets.UTF_8), null, null));
    assertTrue(e.getMessage().contains("nested deeper"), e.getMessage());
  }

  @Test
  void scriptLinksAreDropped() throws Exception {
    ParsedFeed feed = parser.parse(("<rss><channel><link>javascript:alert(1)</link>"
        + "<item><link> JavaScript:alert(1)</link><guid>g</guid></item></channel></rss>")
        .getBytes(StandardCharsets.UTF_8), null, "http://example.com/");
    assertEquals(null, feed.link());
    assertEquals(null, feed.items().get(0).link());
  }
}
