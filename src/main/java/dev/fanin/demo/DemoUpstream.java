package dev.fanin.demo;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A built-in upstream with news and finance latencies, so fanin can be tried with no network.
 * Quotes answer in 40–150 ms, news in 120–400 ms; /demo/slow and /demo/flaky show deadlines,
 * retries and breakers.
 */
public final class DemoUpstream {
  private static final Pattern SYMBOL = Pattern.compile("[A-Za-z0-9.-]{1,12}");
  private static final Pattern TOPIC = Pattern.compile("[a-z0-9-]{1,32}");
  private static final List<String> HEADLINE_STARTS = List.of(
      "Markets edge higher as", "Regulators weigh new rules on", "Analysts split over",
      "Investors brace for", "Record demand for", "Startups race to build",
      "Central bank signals patience on", "Shares slide after");
  private static final List<String> HEADLINE_ENDS = List.of(
      "chip supply", "energy prices", "quarterly earnings", "rate cuts", "cloud spending",
      "electric vehicles", "bond yields", "retail sales");

  private DemoUpstream() {}

  public static Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    router.get("/quotes/:symbol").handler(ctx -> quote(vertx, ctx));
    router.get("/news/:topic").handler(ctx -> news(vertx, ctx));
    router.get("/rss/:topic").handler(ctx -> rss(vertx, ctx));
    router.get("/slow").handler(ctx -> slow(vertx, ctx));
    router.get("/flaky").handler(DemoUpstream::flaky);
    return router;
  }

  private static void quote(Vertx vertx, RoutingContext ctx) {
    String symbol = ctx.pathParam("symbol");
    if (!SYMBOL.matcher(symbol).matches()) {
      ctx.response().setStatusCode(404).end();
      return;
    }
    String upper = symbol.toUpperCase(Locale.ROOT);
    long seed = upper.hashCode() & 0x7fffffffL;
    double base = 10 + (seed % 50_000) / 10.0;
    double price = base * (1 + ThreadLocalRandom.current().nextGaussian() * 0.002);
    JsonObject body = new JsonObject()
        .put("symbol", upper)
        .put("price", Math.round(price * 100) / 100.0)
        .put("currency", "USD")
        .put("change", Math.round(ThreadLocalRandom.current().nextGaussian() * 150) / 100.0)
        .put("asOf", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
    later(vertx, 40 + seed % 60 + ThreadLocalRandom.current().nextInt(50), () -> ctx.json(body));
  }

  private static void news(Vertx vertx, RoutingContext ctx) {
    String topic = ctx.pathParam("topic");
    if (!TOPIC.matcher(topic).matches()) {
      ctx.response().setStatusCode(404).end();
      return;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    JsonArray items = new JsonArray();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    for (int i = 0; i < 5; i++) {
      String title = HEADLINE_STARTS.get(random.nextInt(HEADLINE_STARTS.size())) + " "
          + HEADLINE_ENDS.get(random.nextInt(HEADLINE_ENDS.size()));
      items.add(new JsonObject()
          .put("id", topic + "-" + now.getEpochSecond() + "-" + i)
          .put("title", title)
          .put("link", "https://news.example/" + topic + "/" + (now.getEpochSecond() - i * 600))
          .put("published", now.minusSeconds(i * 600L + random.nextInt(300)).toString()));
    }
    JsonObject body = new JsonObject().put("topic", topic).put("items", items);
    later(vertx, 120 + random.nextInt(280), () -> ctx.json(body));
  }

  /** The same headlines as an RSS 2.0 feed; the newest item changes every minute. */
  private static void rss(Vertx vertx, RoutingContext ctx) {
    String topic = ctx.pathParam("topic");
    if (!TOPIC.matcher(topic).matches()) {
      ctx.response().setStatusCode(404).end();
      return;
    }
    long minute = Instant.now().getEpochSecond() / 60;
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>")
        .append("<title>Demo ").append(topic).append(" news</title><link>https://news.example/")
        .append(topic).append("</link>");
    for (int i = 0; i < 5; i++) {
      long m = minute - i * 7L;
      int h = (int) ((m * 31 + topic.hashCode()) & 0x7fffffff);
      String title = HEADLINE_STARTS.get(h % HEADLINE_STARTS.size()) + " "
          + HEADLINE_ENDS.get((h / 8) % HEADLINE_ENDS.size());
      xml.append("<item><title>").append(title).append("</title><link>https://news.example/")
          .append(topic).append('/').append(m).append("?utm_source=demo</link><guid>").append(topic).append('-').append(m)
          .append("</guid><pubDate>")
          .append(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
              java.time.ZonedDateTime.ofInstant(Instant.ofEpochSecond(m * 60), java.time.ZoneOffset.UTC)))
          .append("</pubDate><category>").append(topic).append("</category></item>");
    }
    xml.append("</channel></rss>");
    later(vertx, 120 + ThreadLocalRandom.current().nextInt(280), () ->
        ctx.response().putHeader("Content-Type", "application/rss+xml; charset=utf-8").end(xml.toString()));
  }

  private static void slow(Vertx vertx, RoutingContext ctx) {
    int ms;
    try {
      ms = Integer.parseInt(ctx.request().getParam("ms", "2000"));
    } catch (NumberFormatException e) {
      ms = -1;
    }
    if (ms < 0 || ms > 60_000) {
      ctx.response().setStatusCode(400).end("ms must be 0 to 60000");
      return;
    }
    int delay = ms;
    later(vertx, delay, () -> ctx.json(new JsonObject().put("sleptMs", delay)));
  }

  private static void flaky(RoutingContext ctx) {
    if (ThreadLocalRandom.current().nextInt(3) == 0) {
      ctx.json(new JsonObject().put("status", "fine this time"));
    } else {
      ctx.response().setStatusCode(503).putHeader("Retry-After", "0").end("try again");
    }
  }

  private static void later(Vertx vertx, long ms, Runnable action) {
    vertx.setTimer(Math.max(1, ms), t -> action.run());
  }
}
