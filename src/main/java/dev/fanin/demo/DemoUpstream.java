package dev.fanin.demo;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A built-in upstream with news and finance latencies, so fanin can be tried with no network. It
 * listens on a loopback port of its own, never on fanin's API port, and serves nothing but the
 * demo: a source that reaches it cannot reach fanin's own API.
 *
 * <p>Each demo service is its own origin, named {@code {service}.demo.localhost} (fanin maps these
 * names to this listener, whatever its port): quotes answer in 40–150 ms, news and rss in
 * 120–400 ms, and slow and flaky show deadlines, retries and breakers without opening the breaker
 * of the others.
 */
public final class DemoUpstream extends VerticleBase {
  /** The parent domain of the demo's origins. */
  public static final String DOMAIN = "demo.localhost";
  private static final Pattern SYMBOL = Pattern.compile("[A-Za-z0-9.-]{1,12}");
  private static final Pattern TOPIC = Pattern.compile("[a-z0-9-]{1,32}");
  private static final List<String> HEADLINE_STARTS = List.of(
      "Markets edge higher as", "Regulators weigh new rules on", "Analysts split over",
      "Investors brace for", "Record demand for", "Startups race to build",
      "Central bank signals patience on", "Shares slide after");
  private static final List<String> HEADLINE_ENDS = List.of(
      "chip supply", "energy prices", "quarterly earnings", "rate cuts", "cloud spending",
      "electric vehicles", "bond yields", "retail sales");

  private final int port;
  private HttpServer server;

  /** @param port the loopback port to listen on; 0 for any free one */
  public DemoUpstream(int port) {
    this.port = port;
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer().requestHandler(router(vertx));
    return server.listen(port, "127.0.0.1");
  }

  /** The port the demo listens on. */
  public int actualPort() {
    return server.actualPort();
  }

  /** The demo's routes, one virtual host per service. */
  static Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    router.get("/:symbol").virtualHost(host("quotes")).handler(ctx -> quote(vertx, ctx));
    router.get("/:topic").virtualHost(host("news")).handler(ctx -> news(vertx, ctx));
    router.get("/:topic").virtualHost(host("rss")).handler(ctx -> rss(vertx, ctx));
    router.get("/").virtualHost(host("slow")).handler(ctx -> slow(vertx, ctx));
    router.get("/").virtualHost(host("flaky")).handler(DemoUpstream::flaky);
    return router;
  }

  /** The host name of one demo service. */
  public static String host(String service) {
    return service + "." + DOMAIN;
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

  /**
   * The topic's headlines as an RSS 2.0 feed of the last five minutes: one new item a minute, and
   * every other item keeps its guid, so a scheduled feed shows only the new one.
   */
  private static void rss(Vertx vertx, RoutingContext ctx) {
    String topic = ctx.pathParam("topic");
    if (!TOPIC.matcher(topic).matches()) {
      ctx.response().setStatusCode(404).end();
      return;
    }
    String xml = rssDocument(topic, Instant.now().getEpochSecond() / 60);
    later(vertx, 120 + ThreadLocalRandom.current().nextInt(280), () ->
        ctx.response().putHeader("Content-Type", "application/rss+xml; charset=utf-8").end(xml));
  }

  /** The feed as it stands in a given minute (epoch minutes). */
  static String rssDocument(String topic, long minute) {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>")
        .append("<title>Demo ").append(topic).append(" news</title><link>https://news.example/")
        .append(topic).append("</link>");
    for (int i = 0; i < 5; i++) {
      long m = minute - i;
      int h = (int) ((m * 31 + topic.hashCode()) & 0x7fffffff);
      String title = HEADLINE_STARTS.get(h % HEADLINE_STARTS.size()) + " "
          + HEADLINE_ENDS.get((h / 8) % HEADLINE_ENDS.size());
      xml.append("<item><title>").append(title).append("</title><link>https://news.example/")
          .append(topic).append('/').append(m).append("?utm_source=demo</link><guid>").append(topic).append('-')
          .append(m).append("</guid><pubDate>")
          .append(DateTimeFormatter.RFC_1123_DATE_TIME.format(
              ZonedDateTime.ofInstant(Instant.ofEpochSecond(m * 60), ZoneOffset.UTC)))
          .append("</pubDate><category>").append(topic).append("</category></item>");
    }
    return xml.append("</channel></rss>").toString();
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
