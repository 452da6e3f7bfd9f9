package dev.fanin.write;

import dev.fanin.aggregate.AggregateSummary;
import dev.fanin.aggregate.SourceResult;
import dev.fanin.fetch.Exchanges;
import dev.fanin.fetch.Exchanges.Exchange;
import dev.fanin.fetch.Timings;
import dev.fanin.fetch.Timings.Phase;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A run as a HAR 1.2 document (docs/api.md, "HAR export"): one page for the aggregation, one entry
 * per HTTP exchange its sources sent, credentials redacted. Sources that sent nothing of their own
 * (a cache hit, a coalesced request, one that ended waiting) are listed in the page's _sources.
 */
public final class HarDocument implements WholeDocument {
  public static final String MEDIA_TYPE = "application/har+json";
  static final String REDACTED = "REDACTED";
  private static final String PAGE = "aggregation";
  private static final Set<String> CREDENTIALS = Set.of("authorization", "cookie", "set-cookie", "proxy-authorization");

  private final String title;
  private final String requestId;
  private final long startedAt;
  private final boolean bodies;
  private final Set<String> redacted;
  private final List<Set<String>> secretHeaders;
  private final JsonArray[] entries;
  private final JsonArray[] unsent;

  /**
   * @param title the page's title: the feed's name, or the request id
   * @param startedAt when the aggregation started, epoch ms
   * @param secretHeaders each source's secretHeaders (lower case), in definition order
   * @param credentialHeaders the operator's cache.credentialHeaders, redacted for every source
   * @param bodies bodies are recorded and written (?bodies=true)
   */
  public HarDocument(String title, String requestId, long startedAt, List<Set<String>> secretHeaders,
      Collection<String> credentialHeaders, boolean bodies) {
    this.title = title;
    this.requestId = requestId;
    this.startedAt = startedAt;
    this.bodies = bodies;
    this.secretHeaders = secretHeaders;
    this.redacted = new HashSet<>(CREDENTIALS);
    for (String name : credentialHeaders) {
      redacted.add(name.toLowerCase(Locale.ROOT));
    }
    this.entries = new JsonArray[secretHeaders.size()];
    this.unsent = new JsonArray[secretHeaders.size()];
  }

  @Override
  public Exchanges.Recording exchanges() {
    return bodies ? Exchanges.Recording.WITH_BODIES : Exchanges.Recording.WITHOUT_BODIES;
  }

  @Override
  public String mediaType() {
    return MEDIA_TYPE;
  }

  @Override
  public void onResult(int index, SourceResult result) {
    Exchanges log = result.exchanges();
    List<Exchange> sent = log == null ? List.of() : log.list();
    if (sent.isEmpty()) {
      JsonObject source = new JsonObject().put("id", result.id()).put("status", result.ok() ? "ok" : "error")
          .put("from", result.timings().from());
      if (!result.ok()) {
        source.put("error", error(result));
      }
      if (unsent[index] == null) {
        unsent[index] = new JsonArray();
      }
      unsent[index].add(source); // several for a source expanded over a list
      return;
    }
    JsonArray list = new JsonArray();
    for (int i = 0; i < sent.size(); i++) {
      JsonObject entry = entry(sent.get(i), result, secretHeaders.get(index));
      if (!result.ok() && i == sent.size() - 1) {
        entry.put("_error", error(result));
      }
      list.add(entry);
    }
    if (entries[index] == null) {
      entries[index] = list;
    } else {
      entries[index].addAll(list); // the requests of a source expanded over a list
    }
  }

  @Override
  public Buffer encode(AggregateSummary summary) {
    return toJson(summary).toBuffer();
  }

  /** The document as JSON; what was collected is released. */
  JsonObject toJson(AggregateSummary summary) {
    JsonArray all = new JsonArray();
    JsonArray others = new JsonArray();
    for (int i = 0; i < entries.length; i++) {
      if (entries[i] != null) {
        all.addAll(entries[i]);
      }
      if (unsent[i] != null) {
        others.addAll(unsent[i]);
      }
      entries[i] = null;
      unsent[i] = null;
    }
    JsonObject page = new JsonObject()
        .put("startedDateTime", Instant.ofEpochMilli(startedAt).toString())
        .put("id", PAGE)
        .put("title", title)
        .put("pageTimings", new JsonObject().put("onContentLoad", -1).put("onLoad", summary.durationMs()))
        .put("_requestId", requestId)
        .put("_complete", summary.complete())
        .put("_sources", others);
    JsonObject log = new JsonObject()
        .put("version", "1.2")
        .put("creator", new JsonObject().put("name", "fanin").put("version", creatorVersion()))
        .put("pages", new JsonArray().add(page))
        .put("entries", all);
    return new JsonObject().put("log", log);
  }

  /** fanin's version from the jar's manifest, or "dev" when run from classes. */
  static String creatorVersion() {
    String version = HarDocument.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  private JsonObject entry(Exchange e, SourceResult result, Set<String> secret) {
    Timings t = result.timings();
    int a = e.attempt();
    boolean timed = a >= 0 && a < t.attempts();
    long startNanos = timed ? t.startNanos(a) : 0;
    JsonObject timings = new JsonObject()
        .put("blocked", timed ? ms(t.nanos(a, Phase.SLOT) + t.nanos(a, Phase.BUDGET) + t.nanos(a, Phase.ORIGIN)
            + t.nanos(a, Phase.POOL)) : -1)
        .put("dns", -1)
        .put("connect", timed && t.nanos(a, Phase.CONNECT) > 0 ? ms(t.nanos(a, Phase.CONNECT)) : -1)
        .put("ssl", -1)
        .put("send", 0)
        .put("wait", timed ? ms(t.nanos(a, Phase.HEAD)) : 0)
        .put("receive", timed ? ms(t.nanos(a, Phase.BODY)) : 0)
        .put("_backoffAfter", timed ? ms(t.nanos(a, Phase.BACKOFF)) : 0);
    double time = 0;
    for (String phase : List.of("blocked", "connect", "send", "wait", "receive")) {
      time += Math.max(0, timings.getDouble(phase));
    }
    JsonObject entry = new JsonObject()
        .put("pageref", PAGE)
        // to the millisecond, as HAR's examples and viewers' date parsers expect
        .put("startedDateTime", Instant.ofEpochMilli(startedAt).plusNanos(startNanos).truncatedTo(ChronoUnit.MILLIS)
            .toString())
        .put("time", round(time))
        .put("request", request(e, secret))
        .put("response", response(e, secret))
        .put("cache", new JsonObject())
        .put("timings", timings)
        .put("_sourceId", result.id())
        .put("_attempt", a)
        .put("_from", t.from());
    return entry;
  }

  private JsonObject request(Exchange e, Set<String> secret) {
    JsonArray query = new JsonArray();
    for (Map.Entry<String, List<String>> param : new QueryStringDecoder(e.url()).parameters().entrySet()) {
      for (String value : param.getValue()) {
        query.add(new JsonObject().put("name", param.getKey()).put("value", value));
      }
    }
    JsonObject request = new JsonObject()
        .put("method", e.method())
        .put("url", e.url())
        .put("httpVersion", e.httpVersion())
        .put("cookies", new JsonArray())
        .put("headers", headers(e.requestHeaders(), secret))
        .put("queryString", query)
        .put("headersSize", -1)
        .put("bodySize", e.requestBodySize());
    if (e.requestBody() != null) {
      String type = e.requestHeaders().get("Content-Type");
      request.put("postData", new JsonObject().put("mimeType", type != null ? type
          : e.requestContentType() != null ? e.requestContentType() : "")
          .put("params", new JsonArray()).put("text", e.requestBody().toString(StandardCharsets.UTF_8)));
    }
    return request;
  }

  private JsonObject response(Exchange e, Set<String> secret) {
    MultiMap headers = e.responseHeaders();
    String type = headers.get("Content-Type");
    JsonObject content = new JsonObject().put("size", e.contentBytes()).put("mimeType", type == null ? "" : type);
    if (e.responseBody() != null) {
      if (textual(type)) {
        content.put("text", e.responseBody().toString(StandardCharsets.UTF_8));
      } else {
        content.put("text", Base64.getEncoder().encodeToString(e.responseBody().getBytes())).put("encoding", "base64");
      }
    }
    String location = headers.get("Location");
    return new JsonObject()
        .put("status", e.status())
        .put("statusText", e.statusText())
        .put("httpVersion", e.httpVersion())
        .put("cookies", new JsonArray())
        .put("headers", headers(headers, secret))
        .put("content", content)
        .put("redirectURL", location == null ? "" : location)
        .put("headersSize", -1)
        .put("bodySize", e.wireBodyBytes());
  }

  /** Headers as HAR's name/value list; credentials' values replaced, their names kept. */
  JsonArray headers(MultiMap headers, Set<String> secret) {
    JsonArray out = new JsonArray();
    for (Map.Entry<String, String> h : headers) {
      String lower = h.getKey().toLowerCase(Locale.ROOT);
      boolean hidden = redacted.contains(lower) || secret.contains(lower);
      out.add(new JsonObject().put("name", h.getKey()).put("value", hidden ? REDACTED : h.getValue()));
    }
    return out;
  }

  private static JsonObject error(SourceResult result) {
    return new JsonObject().put("kind", result.errorKind().wireName()).put("message", result.errorMessage());
  }

  private static boolean textual(String type) {
    if (type == null) {
      return true; // fanin reads bodies as text unless told otherwise
    }
    String t = type.toLowerCase(Locale.ROOT);
    return t.startsWith("text/") || t.contains("json") || t.contains("xml") || t.contains("javascript")
        || t.contains("x-www-form-urlencoded");
  }

  /** Nanoseconds as milliseconds, to the microsecond. */
  private static double ms(long nanos) {
    return round(nanos / 1_000_000.0);
  }

  private static double round(double ms) {
    return Math.round(ms * 1_000) / 1_000.0;
  }
}
