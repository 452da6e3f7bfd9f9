package dev.fanin.testing;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fake upstream of the tests and of bench/run: a real HTTP server on loopback that answers as
 * its query string says. Any path answers. Query parameters:
 * delay (ms before answering, a timer), status, body, type (Content-Type), size (a JSON body of
 * exactly that many bytes, at least 12; cached), chunked, trickle (ms between chunks) with chunks,
 * reset (close mid-body), hang (never answer), retryAfter, failFirst (with key: answer status for
 * the first N requests, then 200), cc (a Cache-Control header), redirect (a Location; "self" for the
 * request's own URI), echo (a request header's value as the body {"echo": value}), rss (a small RSS
 * document of that many items; pair with type=application/rss%2Bxml), kind=rss|atom with items=N
 * (a realistic feed of N items, about 520 bytes each; cached), slowFirst=N with key and slowMs (the
 * first N requests of the key wait slowMs instead of delay), slowPct=P with slowMs (P percent of
 * requests, at random, wait slowMs instead of delay). Without body, size, rss or kind the
 * body is {"status": status, "path": path}. GET /__stats answers {"requests": n} and is not counted.
 *
 * <p>It counts requests, requests in flight and their peak, and connections closed; when it records
 * (the tests' instances), per path it counts requests, requests in flight and their peak, and it
 * keeps what each request carried.
 *
 * <p>bench/run starts it as a Java single-file program on the jar's Vert.x, one server per event
 * loop and recording nothing:
 * {@code java -cp target/fanin.jar src/test/java/dev/fanin/testing/FakeUpstream.java [port] [host] [eventLoops]};
 * it prints "LISTENING port" once it accepts connections. So this file uses nothing but Vert.x.
 */
public final class FakeUpstream {
  /** Holds 10k+ idle connections and sends small answers at once: out of the way of what is measured. */
  private static final HttpServerOptions OPTIONS = new HttpServerOptions()
      .setAcceptBacklog(16_384)
      .setIdleTimeout(0)
      .setTcpNoDelay(true)
      .setReuseAddress(true)
      .setCompressionSupported(false);
  private static final int MAX_SIZE = 64 * 1024 * 1024;

  private final Vertx vertx;
  private final boolean recording;
  private HttpServer server;
  public final AtomicInteger requests = new AtomicInteger();
  public final AtomicInteger inFlight = new AtomicInteger();
  public final AtomicInteger maxInFlight = new AtomicInteger();
  public final AtomicInteger connectionsClosed = new AtomicInteger();
  private final Map<String, AtomicInteger> perKey = new ConcurrentHashMap<>();
  /** Requests arrived per key (slowFirst). */
  private final Map<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();
  private final Map<String, PathCounters> perPath = new ConcurrentHashMap<>();
  private final List<Recorded> recorded = new CopyOnWriteArrayList<>();
  private volatile Recorded lastRequest;
  private final Map<Integer, Buffer> padded = new ConcurrentHashMap<>();
  private final Map<String, Buffer> feeds = new ConcurrentHashMap<>();

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

  /** One that records every request (see {@link #recorded()}). */
  public FakeUpstream(Vertx vertx) {
    this(vertx, true);
  }

  private FakeUpstream(Vertx vertx, boolean recording) {
    this.vertx = vertx;
    this.recording = recording;
  }

  /** Listens on a free port of 127.0.0.1. */
  public FakeUpstream start() {
    server = listen(0, "127.0.0.1").await();
    return this;
  }

  public void stop() {
    server.close().await();
  }

  /** One more server on this port, on the caller's event loop (Vert.x spreads connections over them). */
  private Future<HttpServer> listen(int port, String host) {
    return vertx.createHttpServer(OPTIONS)
        .connectionHandler(conn -> conn.closeHandler(v -> connectionsClosed.incrementAndGet()))
        .requestHandler(this::handle)
        .listen(port, host);
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
    arrivals.clear();
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
    if (req.path().equals("/__stats")) {
      req.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end("{\"requests\":" + requests.get() + "}");
      return;
    }
    requests.incrementAndGet();
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    PathCounters pathCounters = recording ? path(req.path()) : null;
    if (pathCounters != null) {
      pathCounters.requests.incrementAndGet();
      pathCounters.maxInFlight.accumulateAndGet(pathCounters.inFlight.incrementAndGet(), Math::max);
    }
    long arrivedMs = System.nanoTime() / 1_000_000;
    HttpServerResponse res = req.response();
    boolean[] counted = {false};
    Runnable done = () -> {
      if (!counted[0]) {
        counted[0] = true;
        inFlight.decrementAndGet();
        if (pathCounters != null) {
          pathCounters.inFlight.decrementAndGet();
        }
      }
    };
    res.endHandler(v -> done.run());
    res.closeHandler(v -> done.run());
    req.body().onComplete(b -> {
      if (recording) {
        Recorded record = new Recorded(req.method().name(), req.uri(), req.path(), req.query(),
            MultiMap.caseInsensitiveMultiMap().addAll(req.headers()),
            b.succeeded() && b.result() != null ? b.result().toString() : null, arrivedMs);
        recorded.add(record);
        lastRequest = record;
      }
      if (req.getParam("hang") != null) {
        return;
      }
      long delay = longParam(req, "delay", 0);
      String key = req.getParam("key");
      if (key != null && req.getParam("slowFirst") != null
          && arrivals.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() <= longParam(req, "slowFirst", 0)) {
        delay = longParam(req, "slowMs", delay);
      }
      if (req.getParam("slowPct") != null
          && java.util.concurrent.ThreadLocalRandom.current().nextInt(100) < longParam(req, "slowPct", 0)) {
        delay = longParam(req, "slowMs", delay);
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
    res.putHeader(HttpHeaders.CONTENT_TYPE, req.getParam("type", contentType(req)));
    if (req.getParam("cc") != null) {
      res.putHeader(HttpHeaders.CACHE_CONTROL, req.getParam("cc"));
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

  private static String contentType(HttpServerRequest req) {
    String kind = req.getParam("kind");
    if (kind == null) {
      return "application/json";
    }
    return kind.equals("atom") ? "application/atom+xml" : "application/rss+xml";
  }

  private Buffer body(HttpServerRequest req, int status) {
    String explicit = req.getParam("body");
    if (explicit != null) {
      return Buffer.buffer(explicit);
    }
    String kind = req.getParam("kind");
    if (kind != null) {
      return feed(kind, (int) longParam(req, "items", 20));
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
      return padded((int) Math.min(size, MAX_SIZE));
    }
    return Buffer.buffer("{\"status\":" + status + ",\"path\":\"" + req.path() + "\"}");
  }

  /** {"pad":"xx…"} of exactly {@code size} bytes (at least 12), built once per size. */
  private Buffer padded(int size) {
    return padded.computeIfAbsent(Math.max(12, size), n -> {
      StringBuilder sb = new StringBuilder(n).append("{\"pad\":\"");
      sb.append("x".repeat(n - 10));
      return Buffer.buffer(sb.append("\"}").toString().getBytes(StandardCharsets.US_ASCII));
    });
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

  /** A realistic RSS 2.0 or Atom 1.0 feed of n items: titles, links with tracking parameters, dates, summaries. */
  private Buffer feed(String kind, int n) {
    return feeds.computeIfAbsent(kind + n, k -> {
      boolean atom = kind.equals("atom");
      StringBuilder sb = new StringBuilder(n * 560 + 200);
      sb.append(atom
          ? "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Bench feed</title>"
              + "<link href=\"https://bench.example/\"/><updated>2026-01-01T00:00:00Z</updated>\n"
          : "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Bench feed</title>"
              + "<link>https://bench.example/</link>\n");
      String title = "Markets edge higher as quarterly earnings beat estimates, story ";
      String summary = "Investors weighed fresh data on chip supply and energy prices as analysts split over the"
          + " outlook for rate cuts &amp; bond yields.";
      for (int i = 0; i < n; i++) {
        String time = String.format("%02d:%02d", (i / 60) % 24, i % 60);
        String link = "https://bench.example/story/" + i + "?utm_source=feed&amp;utm_medium=rss";
        if (atom) {
          sb.append("<entry><title>").append(title).append(i).append("</title><link href=\"").append(link).append("\"/>")
              .append("<id>urn:bench:").append(i).append("</id><updated>2026-01-01T").append(time)
              .append(":00Z</updated><author><name>Desk</name></author><summary>").append(summary)
              .append("</summary><category term=\"markets\"/></entry>\n");
        } else {
          sb.append("<item><title>").append(title).append(i).append("</title><link>").append(link).append("</link>")
              .append("<guid>urn:bench:").append(i).append("</guid><pubDate>Thu, 01 Jan 2026 ").append(time)
              .append(":00 GMT</pubDate><author>desk@bench.example</author><description>").append(summary)
              .append("</description><category>markets</category></item>\n");
        }
      }
      sb.append(atom ? "</feed>" : "</channel></rss>");
      return Buffer.buffer(sb.toString().getBytes(StandardCharsets.UTF_8));
    });
  }

  private static long longParam(HttpServerRequest req, String name, long dflt) {
    String v = req.getParam(name);
    return v == null || v.isEmpty() ? dflt : Long.parseLong(v);
  }

  /** bench/run's upstream: [port] [host] [eventLoops], one server per event loop, nothing recorded. */
  public static void main(String[] args) {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 9000;
    String host = args.length > 1 ? args[1] : "127.0.0.1";
    int loops = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops)
        .setPreferNativeTransport(true).setBlockedThreadCheckInterval(10_000));
    FakeUpstream upstream = new FakeUpstream(vertx, false);
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        return upstream.listen(port, host);
      }
    }, new DeploymentOptions().setInstances(loops))
        .onSuccess(id -> {
          System.out.println("LISTENING " + port);
          System.out.flush();
        })
        .onFailure(t -> {
          System.err.println("fake upstream failed to start: " + t);
          System.exit(1);
        });
  }
}
