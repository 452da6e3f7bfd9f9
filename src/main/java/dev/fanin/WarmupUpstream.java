package dev.fanin;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * The upstream of the start-up warm-up: a loopback listener inside the warm-up's own Vert.x that
 * answers at once with fixed bodies of the kinds fanin reads (JSON, RSS, Atom, JSON Feed), so the
 * warm-up exercises every decoder without reaching anything outside the process. Paths start with
 * the kind ({@code /json/…}, {@code /rss/…}, {@code /atom/…}, {@code /feed/…}); the rest of the path
 * only tells sources apart.
 */
final class WarmupUpstream extends VerticleBase {
  private static final Buffer JSON = Buffer.buffer("""
      {"symbol":"WARM","price":123.45,"change":-0.5,"open":true,"tags":["a","b","c"],\
      "book":{"bid":[123.4,123.3],"ask":[123.5,123.6]},"note":"caf\\u00e9 \\u2013 warm"}""");
  private static final Buffer RSS = Buffer.buffer(rss());
  private static final Buffer ATOM = Buffer.buffer(atom());
  private static final Buffer JSON_FEED = Buffer.buffer(jsonFeed());

  private HttpServer server;

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer().requestHandler(WarmupUpstream::answer);
    return server.listen(0, "127.0.0.1");
  }

  int port() {
    return server.actualPort();
  }

  private static void answer(HttpServerRequest req) {
    String path = req.path();
    Buffer body;
    String type;
    if (path.startsWith("/rss/")) {
      body = RSS;
      type = "application/rss+xml";
    } else if (path.startsWith("/atom/")) {
      body = ATOM;
      type = "application/atom+xml";
    } else if (path.startsWith("/feed/")) {
      body = JSON_FEED;
      type = "application/feed+json";
    } else {
      body = JSON;
      type = "application/json";
    }
    req.response().putHeader("content-type", type).putHeader("cache-control", "max-age=60").end(body);
  }

  private static String rss() {
    StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>"
        + "<title>Warm</title><link>http://warm.invalid/</link><description>warm-up</description>");
    for (int i = 0; i < 10; i++) {
      b.append("<item><title>Item ").append(i).append(" &amp; more</title><link>http://warm.invalid/r/")
          .append(i).append("</link><guid>r").append(i).append("</guid><pubDate>Mon, 30 Nov 2026 1")
          .append(i % 10).append(":00:00 GMT</pubDate><description><![CDATA[<p>text</p>]]></description></item>");
    }
    return b.append("</channel></rss>").toString();
  }

  private static String atom() {
    StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>"
        + "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Warm</title><id>urn:warm</id>"
        + "<updated>2026-11-30T12:00:00Z</updated>");
    for (int i = 0; i < 10; i++) {
      b.append("<entry><title type=\"html\">Entry ").append(i).append("</title><id>urn:warm:a").append(i)
          .append("</id><link href=\"http://warm.invalid/a/").append(i).append("\"/><updated>2026-11-30T0")
          .append(i).append(":30:00Z</updated><summary>text</summary></entry>");
    }
    return b.append("</feed>").toString();
  }

  private static String jsonFeed() {
    StringBuilder b = new StringBuilder("{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"Warm\","
        + "\"items\":[");
    for (int i = 0; i < 10; i++) {
      b.append(i == 0 ? "" : ",").append("{\"id\":\"j").append(i).append("\",\"url\":\"http://warm.invalid/j/")
          .append(i).append("\",\"title\":\"Item ").append(i).append("\",\"content_text\":\"text\","
              + "\"date_published\":\"2026-11-30T0").append(i).append(":15:00Z\"}");
    }
    return b.append("]}").toString();
  }
}
