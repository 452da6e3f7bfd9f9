package dev.fanin.http;

import dev.fanin.aggregate.AggregateSummary;
import dev.fanin.aggregate.Aggregation;
import dev.fanin.aggregate.RunInfo;
import dev.fanin.definition.AggregationSpec;
import dev.fanin.feeds.FeedRunHub;
import dev.fanin.feeds.FeedRuns;
import dev.fanin.feeds.LatestTimeline;
import dev.fanin.feedwrite.FeedDocument;
import dev.fanin.feedwrite.FeedFormat;
import dev.fanin.feedwrite.FeedHead;
import dev.fanin.feedwrite.TimelineItem;
import dev.fanin.write.StreamFormat;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * GET /v1/feeds/{name}/feed.atom, feed.json and feed.rss: a feed's merged timeline for feed readers.
 * A scheduled feed asked with its default parameters answers from its latest run; any other run goes
 * through the pipeline (and its cache) as /v1/feeds/{name}/aggregate would. Readers poll, so every
 * answer has an ETag (a hash of the document) and a Last-Modified (its newest item's date), and a
 * conditional GET that matches them gets 304.
 */
final class FeedDocuments {
  private final FeedRuns runs;
  private final FeedRunHub hub;
  private final AggregateRoute aggregate;

  /** The items to write, when they were collected, and how long a reader may keep them. */
  private record Served(JsonArray items, Instant at, String cacheControl) {}

  FeedDocuments(FeedRuns runs, FeedRunHub hub, AggregateRoute aggregate) {
    this.runs = runs;
    this.hub = hub;
    this.aggregate = aggregate;
  }

  void mount(Router router) {
    router.get("/v1/feeds/:name/feed.atom").handler(ctx -> serve(ctx, FeedFormat.ATOM));
    router.get("/v1/feeds/:name/feed.json").handler(ctx -> serve(ctx, FeedFormat.JSON_FEED));
    router.get("/v1/feeds/:name/feed.rss").handler(ctx -> serve(ctx, FeedFormat.RSS));
  }

  private void serve(RoutingContext ctx, FeedFormat format) {
    String name = ctx.pathParam("name");
    Map<String, String> params = FeedRoutes.queryParams(ctx.queryParams(), StreamFormat.JSON);
    RunInfo info = RequestIds.of(ctx).withFeed(name);
    runs.resolveFeed(name, params).compose(resolved -> {
      if (!resolved.spec().merge().items()) {
        throw new ProblemException(Problem.of(409, "no-merged-timeline", "Feed has no merged timeline",
            "feed " + name + " does not merge its items (merge.items), so it cannot be read as a feed"));
      }
      LatestTimeline latest = resolved.scheduledRun() ? hub.latestTimeline(name) : null;
      Future<Served> served = latest != null
          ? Future.succeededFuture(new Served(latest.items(), Instant.parse(latest.runAt()),
              "max-age=" + resolved.feed().schedule().everyMs() / 1000))
          : run(ctx, resolved.spec(), info);
      int limit = resolved.spec().merge().limit();
      return served.map(s -> {
        FeedHead head = head(name, resolved.nonDefault(), ctx.request().absoluteURI(), s, limit);
        return answer(ctx, format, head, s, limit);
      });
    }).onFailure(ctx::fail);
  }

  /** Runs the feed now; the answer is its merged items, so the results themselves are not kept. */
  private Future<Served> run(RoutingContext ctx, AggregationSpec spec, RunInfo info) {
    Instant at = Instant.now();
    Aggregation aggregation = aggregate.startForSummary(spec, info);
    HttpServerResponse response = ctx.response();
    response.closeHandler(v -> aggregation.cancel("the client closed the connection"));
    return aggregation.summary().map(summary -> {
      if (summary.ok() == 0 && summary.failed() > 0) {
        // an empty feed would tell a reader that every item is gone; an error keeps what it has
        throw new ProblemException(Problem.of(AggregateRoute.statusOf(summary), "no-source-answered",
            "No source answered", "no source of feed " + info.feed() + " answered; see /v1/feeds/" + info.feed()
                + "/aggregate for why"));
      }
      return new Served(items(summary), at, "no-cache");
    });
  }

  private static JsonArray items(AggregateSummary summary) {
    return summary.items() == null ? new JsonArray() : summary.items();
  }

  private static FeedHead head(String name, Map<String, String> nonDefault, String selfUrl, Served served, int limit) {
    Instant newest = newest(served, limit);
    String id = "urn:fanin:feed:" + name;
    if (!nonDefault.isEmpty()) {
      id += "?" + nonDefault.entrySet().stream()
          .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
          .collect(Collectors.joining("&"));
    }
    return new FeedHead(name, id, selfUrl, newest);
  }

  /** The newest date of an item written, else when the items were collected. */
  private static Instant newest(Served served, int limit) {
    Instant newest = null;
    for (int i = 0; i < Math.min(limit, served.items().size()); i++) {
      Instant date = TimelineItem.of(served.items().getJsonObject(i)).latest();
      if (date != null && (newest == null || date.isAfter(newest))) {
        newest = date;
      }
    }
    return (newest != null ? newest : served.at()).truncatedTo(ChronoUnit.SECONDS);
  }

  private static Void answer(RoutingContext ctx, FeedFormat format, FeedHead head, Served served, int limit) {
    List<TimelineItem> items = new ArrayList<>();
    for (int i = 0; i < Math.min(limit, served.items().size()); i++) {
      items.add(TimelineItem.of(served.items().getJsonObject(i)));
    }
    Buffer body = FeedDocument.write(format, head, items);
    String etag = etag(body);
    String lastModified = DateTimeFormatter.RFC_1123_DATE_TIME.format(head.updated().atOffset(ZoneOffset.UTC));
    HttpServerResponse response = ctx.response()
        .putHeader("ETag", etag)
        .putHeader("Last-Modified", lastModified)
        .putHeader("Cache-Control", served.cacheControl());
    if (notModified(ctx.request(), etag, head.updated())) {
      response.setStatusCode(304).end();
    } else {
      response.putHeader("Content-Type", format.mediaType()).end(body);
    }
    return null;
  }

  /**
   * Whether a conditional GET already has this answer: If-None-Match decides when it is present
   * (weak comparison, as for GET), else If-Modified-Since (RFC 9110, 13.2.2).
   */
  static boolean notModified(HttpServerRequest request, String etag, Instant lastModified) {
    List<String> tags = request.headers().getAll("If-None-Match");
    if (!tags.isEmpty()) {
      for (String header : tags) {
        for (String tag : header.split(",")) {
          String t = tag.trim();
          if (t.equals("*") || opaque(t).equals(opaque(etag))) {
            return true;
          }
        }
      }
      return false;
    }
    String since = request.getHeader("If-Modified-Since");
    if (since == null) {
      return false;
    }
    try {
      Instant date = Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(since.trim()));
      return !lastModified.isAfter(date);
    } catch (RuntimeException e) {
      return false; // an invalid date is ignored
    }
  }

  private static String opaque(String tag) {
    return tag.startsWith("W/") ? tag.substring(2) : tag;
  }

  /** A strong validator: the first 128 bits of the document's SHA-256, base64url. */
  static String etag(Buffer body) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(body.getBytes());
      return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 16)) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(Objects.requireNonNull(s), StandardCharsets.UTF_8);
  }
}
