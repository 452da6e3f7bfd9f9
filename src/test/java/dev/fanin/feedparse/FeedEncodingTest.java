package dev.fanin.feedparse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every way a feed's encoding is told, or not told, and what wins when they disagree. */
class FeedEncodingTest {

  private final FeedParser parser = new FeedParser();

  private static final String TITLE = "Привет, «мир» — café";

  private static String rss(String declaration, String title) {
    return declaration + "<rss version=\"2.0\"><channel><title>" + title + "</title></channel></rss>";
  }

  private String title(byte[] body, String contentType) throws FeedParseException {
    return parser.parse(body, contentType, null).title();
  }

  @Test
  void declaredInTheXmlProlog() throws Exception {
    String title = "Привет мир";
    byte[] body = rss("<?xml version=\"1.0\" encoding=\"koi8-r\"?>", title).getBytes(Charset.forName("KOI8-R"));
    assertEquals(title, title(body, "application/rss+xml"));
  }

  @Test
  void declaredInTheContentType() throws Exception {
    String title = "Smart “quotes” – dash";
    byte[] body = rss("", title).getBytes(Charset.forName("windows-1252"));
    assertEquals(title, title(body, "text/xml; charset=\"windows-1252\""));
  }

  @Test
  void iso88591MeansWindows1252AsInBrowsers() throws Exception {
    String title = "Smart “quotes” and é";
    byte[] body = rss("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>", title)
        .getBytes(Charset.forName("windows-1252"));
    assertEquals(title, title(body, null));
  }

  @Test
  void byteOrderMarks() throws Exception {
    String doc = rss("<?xml version=\"1.0\" encoding=\"utf-8\"?>", TITLE);
    assertEquals(TITLE, title(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
        doc.getBytes(StandardCharsets.UTF_8)), null));
    // UTF_16 writes a big-endian BOM; the declaration's "utf-8" is wrong and the BOM wins
    assertEquals(TITLE, title(doc.getBytes(StandardCharsets.UTF_16), "text/xml; charset=iso-8859-1"));
    assertEquals(TITLE, title(concat(new byte[] {(byte) 0xFF, (byte) 0xFE},
        doc.getBytes(StandardCharsets.UTF_16LE)), null));
  }

  @Test
  void utf16WithoutBomIsRecognisedByItsZeroBytes() throws Exception {
    String doc = rss("<?xml version=\"1.0\" encoding=\"UTF-16\"?>", TITLE);
    assertEquals(TITLE, title(doc.getBytes(StandardCharsets.UTF_16LE), null));
    assertEquals(TITLE, title(doc.getBytes(StandardCharsets.UTF_16BE), null));
  }

  @Test
  void undeclaredIsUtf8WhenValid() throws Exception {
    assertEquals(TITLE, title(rss("", TITLE).getBytes(StandardCharsets.UTF_8), null));
  }

  @Test
  void undeclaredAndNotUtf8FallsBackToWindows1252() throws Exception {
    String title = "Naïve “café”";
    assertEquals(title, title(rss("", title).getBytes(Charset.forName("windows-1252")), null));
  }

  @Test
  void declaredUtf8ThatIsNotFallsBackToWindows1252() throws Exception {
    String title = "Déjà vu";
    byte[] body = rss("<?xml version=\"1.0\" encoding=\"utf-8\"?>", title).getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(title, title(body, "application/rss+xml; charset=utf-8"));
  }

  @Test
  void whenHeaderAndPrologDisagreeValidUtf8Wins() throws Exception {
    // a server that labels everything iso-8859-1, serving a UTF-8 feed that says so itself
    byte[] body = rss("<?xml version=\"1.0\" encoding=\"utf-8\"?>", TITLE).getBytes(StandardCharsets.UTF_8);
    assertEquals(TITLE, title(body, "text/xml; charset=iso-8859-1"));
  }

  @Test
  void whenHeaderAndPrologDisagreeOtherwiseTheHeaderWins() throws Exception {
    String title = "Привет";
    byte[] body = rss("<?xml version=\"1.0\" encoding=\"iso-8859-5\"?>", title)
        .getBytes(Charset.forName("windows-1251"));
    assertEquals(title, title(body, "text/xml; charset=windows-1251"));
  }

  @Test
  void unknownCharsetNamesAreIgnored() throws Exception {
    byte[] body = rss("<?xml version=\"1.0\" encoding=\"x-no-such-charset\"?>", TITLE)
        .getBytes(StandardCharsets.UTF_8);
    assertEquals(TITLE, title(body, "text/xml; charset=bogus"));
  }

  @Test
  void jsonFeedEncodings() throws Exception {
    String json = "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"" + TITLE + "\",\"items\":[]}";
    assertEquals(TITLE, title(json.getBytes(StandardCharsets.UTF_8), "application/feed+json"));
    assertEquals(TITLE, title(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
        json.getBytes(StandardCharsets.UTF_8)), null));
    assertEquals(TITLE, title(json.getBytes(StandardCharsets.UTF_16), null));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }
}
