package dev.fanin.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 that misbehaves on request. Query parameters:
 * delay (ms before answering), status, body, type (Content-Type), size (bytes of JSON body),
 * chunked, trickle (ms between chunks) with chunks, reset (close mid-body), hang (never answer),
 * retryAfter, failFirst (with key: answer status for the first N requests, then 200), cc (a
 * Cache-Control header), echo (a request header's value as the body {"echo": value}), rss (an RSS
 * document of that many items; pair with type=application/rss%2Bxml).
 * It counts requests, requests in flight and their peak, and connections closed; per path it
 * counts requests, requests in flight and their peak, and it records what each request carried.
 */
public final class FakeUpstream {
  private final Vertx vertx;
  private HttpServer server;
  public final AtomicInteger requests = new AtomicInteger();
  public final AtomicInteger inFlight = new AtomicInteger();
  public final AtomicInteger maxInFlight = new AtomicInteger();
  public final AtomicInteger connectionsClosed = new AtomicInteger();
  private final Map<String, AtomicInteger> perKey = new ConcurrentHashMap<>();
  private final Map<String, PathCounters> perPath = new ConcurrentHashMap<>();
  private final List<Recorded> recorded = new CopyOnWriteArrayList<>();
  private volatile Recorded lastRequest;

  /**
   * What one request carried, as it arrived: the raw URI, path and query (still percent-encoded),
   * the headers and the body; atMs is when it arrived (System.nanoTime() in ms).
   */
  public record Recorded(String method, String uri, String path, String query, MultiMap headers,
      String body, long atMs) {}

  /** Requests, requests in flight and their peak, for one path. */
  public static final class PathCounters {
    public final AtomicInteger requests = new AtomicInteger();
    public final AtomicInteger inFlight = new AtomicInteger();
    public final AtomicInteger maxInFlight = new AtomicInteger();
  }

  public FakeUpstream(Vertx vertx) {
    this.vertx = vertx;
  }

  public FakeUpstream start() {
    server = vertx.createHttpServer()
        .connectionHandler(conn -> conn.closeHandler(v -> connectionsClosed.incrementAndGet()))
        .requestHandler(this::handle);
    server.listen(0, "127.0.0.1").await();
    return this;
  }

  public void stop() {
    server.close().await();
  }

  public String url(String query) {
    return "http://127.0.0.1:" + server.actualPort() + "/x" + (query.isEmpty() ? "" : "?" + query);
  }

  public int port() {
    return server.actualPort();
  }

  public void resetCounters() {
    requests.set(0);
    maxInFlight.set(inFlight.get());
    connectionsClosed.set(0);
    perKey.clear();
    perPath.clear();
    recorded.clear();
    lastRequest = null;
  }

  /** The last request whose body was read (null before any). */
  public Recorded lastRequest() {
    return lastRequest;
  }

  /** Every request whose body was read, in arrival order. */
  public List<Recorded> recorded() {
    return List.copyOf(recorded);
  }

  /** Every recorded request to this path (the raw path, still percent-encoded). */
  public List<Recorded> recorded(String path) {
    return recorded.stream().filter(r -> r.path().equals(path)).toList();
  }

  /** The counters of one path (the raw path, still percent-encoded); zeros if never requested. */
  public PathCounters path(String path) {
    return perPath.computeIfAbsent(path, p -> new PathCounters());
  }

  /** Requests seen for a failFirst key. */
  public int count(String key) {
    AtomicInteger n = perKey.get(key);
    return n == null ? 0 : n.get();
  }

  private void handle(HttpServerRequest req) {
    requests.incrementAndGet();
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    PathCounters pathCounters = path(req.path());
    pathCounters.requests.incrementAndGet();
    int pathNow = pathCounters.inFlight.incrementAndGet();
    pathCounters.maxInFlight.accumulateAndGet(pathNow, Math::max);
    long arrivedMs = System.nanoTime() / 1_000_000;
    HttpServerResponse res = req.response();
    boolean[] counted = {false};
    Runnable done = () -> {
      if (!counted[0]) {
        counted[0] = true;
        inFlight.decrementAndGet();
        pathCounters.inFlight.decrementAndGet();
      }
    };
    res.endHandler(v -> done.run());
    res.closeHandler(v -> done.run());
    req.body().onComplete(b -> {
      Recorded record = new Recorded(req.method().name(), req.uri(), req.path(), req.query(),
          MultiMap.caseInsensitiveMultiMap().addAll(req.headers()),
          b.succeeded() && b.result() != null ? b.result().toString() : null, arrivedMs);
      recorded.add(record);
      lastRequest = record;
      long delay = longParam(req, "delay", 0);
      if (req.getParam("hang") != null) {
        return;
      }
      if (delay > 0) {
        vertx.setTimer(delay, t -> answer(req, res));
      } else {
        answer(req, res);
      }
    });
  }

  private void answer(HttpServerRequest req, HttpServerResponse res) {
    if (res.closed()) {
      return;
    }
    int status = (int) longParam(req, "status", 200);
    String key = req.getParam("key");
    if (key != null) {
      int seen = perKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      if (seen > longParam(req, "failFirst", 0)) {
        status = 200;
      }
    }
    res.setStatusCode(status);
    if (req.getParam("retryAfter") != null && status != 200) {
      res.putHeader("Retry-After", req.getParam("retryAfter"));
    }
    res.putHeader("Content-Type", req.getParam("type", "application/json"));
    if (req.getParam("cc") != null) {
      res.putHeader("Cache-Control", req.getParam("cc"));
    }
    if (req.getParam("redirect") != null) {
      String to = req.getParam("redirect");
      res.putHeader("Location", to.equals("self") ? req.uri() : to);
    }
    Buffer body = body(req, status);
    if (req.getParam("reset") != null) {
      res.setChunked(true);
      res.write(body.slice(0, Math.max(1, body.length() / 2)));
      vertx.setTimer(50, t -> req.connection().close());
      return;
    }
    long trickle = longParam(req, "trickle", 0);
    if (trickle > 0) {
      int chunks = (int) longParam(req, "chunks", 10);
      res.setChunked(true);
      res.write("[");
      trickle(res, trickle, chunks, 0);
      return;
    }
    if (req.getParam("chunked") != null) {
      res.setChunked(true);
    }
    res.end(body);
  }

  private void trickle(HttpServerResponse res, long interval, int chunks, int i) {
    vertx.setTimer(interval, t -> {
      if (res.closed()) {
        return;
      }
      if (i == chunks - 1) {
        res.end(i + "]");
      } else {
        res.write(i + ",");
        trickle(res, interval, chunks, i + 1);
      }
    });
  }

  private static Buffer body(HttpServerRequest req, int status) {
    String explicit = req.getParam("body");
    if (explicit != null) {
      return Buffer.buffer(explicit);
    }
    long rssItems = longParam(req, "rss", 0);
    if (rssItems > 0) {
      return rss(req.path(), (int) rssItems);
    }
    String echo = req.getParam("echo");
    if (echo != null) {
      String value = req.getHeader(echo);
      return Buffer.buffer("{\"echo\":" + (value == null ? "null" : "\"" + value.replace("\"", "") + "\"") + "}");
    }
    long size = longParam(req, "size", 0);
    if (size > 0) {
      StringBuilder sb = new StringBuilder((int) size);
      sb.append("{\"pad\":\"");
      while (sb.length() < size - 2) {
        sb.append('x');
      }
      return Buffer.buffer(sb.append("\"}").toString());
    }
    return Buffer.buffer("{\"status\":" + status + ",\"path\":\"" + req.path() + "\"}");
  }

  /** An RSS 2.0 document of n items, each with its own guid, link, title, description and date. */
  static Buffer rss(String path, int n) {
    StringBuilder xml = new StringBuilder(n * 180 + 200)
        .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>fake</title>");
    for (int i = 0; i < n; i++) {
      xml.append("<item><title>Item ").append(i).append(" of ").append(path).append("</title><link>https://fake.example")
          .append(path).append('/').append(i).append("</link><guid>").append(path).append('-').append(i)
          .append("</guid><description>Some text about item ").append(i)
          .append("</description><pubDate>Mon, 30 Nov 2026 10:").append(String.format("%02d:%02d", (i / 60) % 60, i % 60))
          .append(" GMT</pubDate></item>");
    }
    return Buffer.buffer(xml.append("</channel></rss>").toString());
  }

  private static long longParam(HttpServerRequest req, String name, long dflt) {
    String v = req.getParam(name);
    return v == null ? dflt : Long.parseLong(v);
  }
}
