package dev.fanin.feedparse;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import io.netty.handler.codec.http.HttpUtil;
import java.util.regex.Pattern;

/**
 * Parses RSS 0.9x/2.0, RSS 1.0 (RDF), Atom 0.3/1.0 and JSON Feed 1.x into one normalised shape. Thread-safe,
 * blocking (CPU only; the caller runs it on a worker).
 *
 * <p>Limits: a body over {@code maxBytes} is refused with a {@link FeedParseException}; items past {@code maxItems}
 * are dropped (the first {@code maxItems} are kept). Titles, summaries and authors come out as plain text, links
 * absolute (against xml:base or {@code baseUrl}), dates as ISO-8601 UTC. No DTD is processed and nothing is ever
 * fetched: a DOCTYPE is removed before parsing, so its entities are never defined, let alone expanded.
 */
public final class FeedParser {

  public static final int DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
  public static final int DEFAULT_MAX_ITEMS = 10_000;

  private static final int SNIFF_BYTES = 2048;

  private final int maxBytes;
  private final int maxItems;

  /** A parser with the default limits: 10 MiB per document, 10,000 items. */
  public FeedParser() {
    this(DEFAULT_MAX_BYTES, DEFAULT_MAX_ITEMS);
  }

  /**
   * @param maxBytes largest body accepted, in bytes
   * @param maxItems most items returned; later ones are dropped
   */
  public FeedParser(int maxBytes, int maxItems) {
    if (maxBytes <= 0 || maxItems <= 0) {
      throw new IllegalArgumentException("limits must be positive: maxBytes=" + maxBytes + ", maxItems=" + maxItems);
    }
    this.maxBytes = maxBytes;
    this.maxItems = maxItems;
  }

  /**
   * @param body raw bytes
   * @param contentType the HTTP Content-Type or null
   * @param baseUrl the feed's URL, for resolving relative links (null leaves relative links as they are)
   */
  public ParsedFeed parse(byte[] body, String contentType, String baseUrl) throws FeedParseException {
    if (body == null || body.length == 0) {
      throw new FeedParseException("empty document");
    }
    if (body.length > maxBytes) {
      throw new FeedParseException("document is " + body.length + " bytes, over the limit of " + maxBytes);
    }
    String text = FeedCharset.decode(body, contentType).text();
    char first = firstSignificant(text);
    if (first == 0) {
      throw new FeedParseException("empty document");
    }
    if (first == '{' || first == '[') {
      return new JsonFeedReader(maxItems).read(text, baseUrl);
    }
    return new XmlFeedReader(maxItems).read(XmlCleaner.clean(text), baseUrl);
  }

  /**
   * Whether these bytes/content type look like a feed (RSS, Atom, RDF, JSON Feed) — for format "auto". Cheap:
   * looks at Content-Type and the first bytes only.
   */
  private static final Pattern JSON_FEED_VERSION = Pattern.compile(
      "\"version\"\\s*:\\s*\"https?:\\\\?/\\\\?/jsonfeed\\.org\\\\?/version\\\\?/1");

  public static boolean looksLikeFeed(byte[] body, String contentType) {
    String media = mediaType(contentType);
    if (media.equals("application/rss+xml") || media.equals("application/atom+xml")
        || media.equals("application/rdf+xml") || media.equals("application/feed+json")) {
      return true;
    }
    if (body == null || body.length == 0) {
      return false;
    }
    String head = head(body);
    char first = firstSignificant(head);
    if (first == '{') {
      // every JSON body of a source in format "auto" passes here: no regex unless the name is there
      return head.contains("jsonfeed.org") && JSON_FEED_VERSION.matcher(head).find();
    }
    if (first != '<') {
      return false;
    }
    String root;
    try {
      int start = XmlCleaner.rootStart(head);
      int end = start + 1;
      while (end < head.length() && !Character.isWhitespace(head.charAt(end)) && head.charAt(end) != '>'
          && head.charAt(end) != '/') {
        end++;
      }
      root = head.substring(start + 1, end);
    } catch (FeedParseException e) {
      return false;
    }
    String local = root.substring(root.indexOf(':') + 1);
    return local.equals("rss") || local.equals("feed") || local.equals("RDF") || local.equals("channel");
  }

  private static String mediaType(String contentType) {
    CharSequence mime = contentType == null ? null : HttpUtil.getMimeType(contentType);
    return mime == null ? "" : mime.toString().trim().toLowerCase(Locale.ROOT);
  }

  /** The first bytes as text; only ASCII matters for sniffing, so single-byte text is read as Latin-1. */
  private static String head(byte[] body) {
    int length = Math.min(body.length, SNIFF_BYTES);
    var wide = FeedCharset.wideCharset(body);
    String text = new String(body, 0, length, wide != null ? wide : StandardCharsets.ISO_8859_1);
    int i = 0;
    while (i < text.length() && (text.charAt(i) == '\uFEFF' || text.charAt(i) == '\u00EF'
        || text.charAt(i) == '\u00BB' || text.charAt(i) == '\u00BF')) {
      i++;
    }
    return text.substring(i);
  }

  private static char firstSignificant(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c) && c != '\uFEFF') {
        return c;
      }
    }
    return 0;
  }
}
