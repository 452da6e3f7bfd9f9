package dev.fanin;

import dev.fanin.cluster.ClusterView;
import dev.fanin.config.ConfigLoader;
import dev.fanin.config.FaninConfig;
import dev.fanin.metrics.FaninMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The start-up warm-up ({@code http.warmupMs}): before the service reports ready, a private copy of
 * fanin, on a Vert.x of its own, serves aggregations of every shape (JSON, NDJSON, SSE, feeds merged,
 * 4 to 1,000 sources) through its real HTTP intake, fetching from a loopback upstream inside the
 * warm-up ({@link WarmupUpstream}). The JIT compiles the same classes the service runs, so its first
 * users do not pay for the interpreter. Nothing of it is seen: its metrics registry (which its
 * Vert.x, built with the service's options, reports into too), data directory and listener are its
 * own and are gone when it ends; it reaches no upstream; the service's readiness waits for it, its
 * liveness does not.
 *
 * <p>Runs on the calling thread, which it blocks until done: call it from a thread of its own,
 * never from an event loop.
 */
public final class StartupWarmup {
  /**
   * What the warm-up did: aggregations sent (the failed or non-200 among them), their sources, how
   * many of the shapes answered at least once, and the wall time.
   */
  public record Result(int aggregations, int failed, long sources, int shapes, long elapsedMs) {}

  private static final int CLIENTS_PER_LOOP = 3;
  /** How long each step may take beyond the budget before the warm-up gives up (readiness never waits longer). */
  private static final long GRACE_MS = 30_000;
  /**
   * The copy's connections to its upstream, and a shape's concurrency, at most: every connection is
   * two channels in this process (both ends), which outlive the warm-up in the heap's old generation
   * until a full collection; a 1,000-source aggregation still takes the path of a large one.
   */
  private static final int MAX_CONNECTIONS = 100;
  private static volatile Vertx running;

  private StartupWarmup() {}

  /**
   * Warms up for about {@code budgetMs} (the start of the private copy included).
   *
   * @param service the service's configuration: its instances and connection pools are copied
   */
  public static Result run(FaninConfig service, long budgetMs) throws Exception {
    return run(service, budgetMs, new VertxOptions());
  }

  /**
   * Warms up with the service's Vert.x options: the same transport and the same kind of
   * Vert.x metrics, recorded into a registry of the warm-up's own, so that those code paths are
   * compiled too.
   */
  public static Result run(FaninConfig service, long budgetMs, VertxOptions serviceOptions) throws Exception {
    long t0 = System.nanoTime();
    long deadline = t0 + budgetMs * 1_000_000L;
    int instances = Fanin.instances(service);
    Path dir = Files.createTempDirectory("fanin-warmup");
    FaninMetrics metrics = FaninMetrics.withoutJvm(service.metrics().maxOrigins());
    // the copy constructor would keep only MetricsOptions' own fields, not the Micrometer labels
    VertxOptions options = new VertxOptions(serviceOptions).setEventLoopPoolSize(Math.max(2, instances))
        .setMetricsOptions(serviceOptions.getMetricsOptions());
    VertxBuilder builder = Vertx.builder().with(options);
    if (options.getMetricsOptions() != null && options.getMetricsOptions().isEnabled()) {
      builder.withMetrics(new MicrometerMetricsFactory(metrics.registry()));
    }
    Vertx vertx = builder.build();
    running = vertx;
    try {
      Fanin copy = new Fanin(vertx, config(service, instances, dir), metrics, ClusterView.alone());
      copy.start().await(GRACE_MS, TimeUnit.MILLISECONDS);
      WarmupUpstream upstream = new WarmupUpstream();
      vertx.deployVerticle(upstream).await(GRACE_MS, TimeUnit.MILLISECONDS);
      Load load = new Load(vertx, copy.port(), definitions(upstream.port()), deadline, instances * CLIENTS_PER_LOOP);
      load.start().await(budgetMs + GRACE_MS, TimeUnit.MILLISECONDS);
      copy.stop().await(GRACE_MS, TimeUnit.MILLISECONDS);
      return new Result(load.sent.get(), load.failed.get(), load.sources.get(), load.shapesAnswered.size(),
          (System.nanoTime() - t0) / 1_000_000);
    } finally {
      vertx.close().await(GRACE_MS, TimeUnit.MILLISECONDS);
      running = null;
      delete(dir);
    }
  }

  /** The private copy's configuration: loopback only, no keys, no cluster, tracing off, own directories. */
  static FaninConfig config(FaninConfig service, int instances, Path dir) {
    FaninConfig.Client client = service.client();
    return ConfigLoader.fromJson(new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("instances", instances)
            .put("warmupMs", 0))
        .put("aggregate", new JsonObject().put("maxSources", 1000))
        .put("client", new JsonObject().put("maxConnections", Math.min(client.maxConnections(), MAX_CONNECTIONS))
            .put("maxConnectionsPerOrigin", Math.min(client.maxConnectionsPerOrigin(), MAX_CONNECTIONS)))
        .put("upstream", new JsonObject().put("allowPrivateNetworks", true))
        .put("security", new JsonObject().put("clientBudget", new JsonObject()
            .put("upstreamPerSecond", 1_000_000_000).put("upstreamBurst", 1_000_000_000)
            .put("maxUpstreamInFlight", 1_000_000_000)))
        .put("demo", new JsonObject().put("enabled", false))
        .put("cluster", new JsonObject().put("enabled", false))
        .put("tracing", new JsonObject().put("enabled", false))
        .put("feeds", new JsonObject().put("dataDir", dir.resolve("data").toString())
            .put("confDir", dir.resolve("conf").toString())));
  }

  /** One request the warm-up sends, again and again. */
  record Shape(int index, Buffer body, String accept, int sources, int weight) {}

  /** The mix: mostly small JSON aggregations (the common case), and every other shape now and then. */
  static List<Shape> definitions(int port) {
    String base = "http://127.0.0.1:" + port;
    List<Shape> shapes = new ArrayList<>();
    shapes.add(new Shape(0, body(base, 4, "json", false, false), "application/json", 4, 40));
    shapes.add(new Shape(1, body(base, 50, "json", false, false), "application/json", 50, 6));
    shapes.add(new Shape(2, body(base, 20, "json", true, false), "application/json", 20, 4));
    shapes.add(new Shape(3, body(base, 20, "json", false, false), "application/x-ndjson", 20, 4));
    shapes.add(new Shape(4, body(base, 10, "json", false, false), "text/event-stream", 10, 3));
    shapes.add(new Shape(5, body(base, 12, "feeds", false, true), "application/json", 12, 3));
    shapes.add(new Shape(6, body(base, 1000, "json", false, false), "application/json", 1000, 1));
    return shapes;
  }

  private static Buffer body(String base, int n, String kind, boolean cached, boolean merge) {
    JsonArray sources = new JsonArray();
    String[] feedKinds = {"rss", "atom", "feed"};
    for (int i = 0; i < n; i++) {
      String path = kind.equals("feeds") ? feedKinds[i % 3] : "json";
      JsonObject s = new JsonObject().put("id", "w" + i).put("url", base + "/" + path + "/" + n + "/" + i + "?q=" + i);
      if (!cached) {
        s.put("cache", false);
      }
      sources.add(s);
    }
    JsonObject def = new JsonObject().put("sources", sources).put("deadlineMs", 10_000)
        .put("concurrency", Math.min(n, MAX_CONNECTIONS));
    if (merge) {
      def.put("merge", new JsonObject().put("items", true).put("limit", 20));
    }
    return def.toBuffer();
  }

  /** Clients that post the shapes in turn, each waiting for its answer, until the deadline. */
  private static final class Load {
    private final HttpClient client;
    private final int port;
    private final List<Shape> order = new ArrayList<>();
    private final long deadline;
    private final int clients;
    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicLong sources = new AtomicLong();
    final Set<Integer> shapesAnswered = ConcurrentHashMap.newKeySet();
    private final AtomicInteger running = new AtomicInteger();
    private final Promise<Void> done = Promise.promise();

    Load(Vertx vertx, int port, List<Shape> shapes, long deadline, int clients) {
      this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
          new PoolOptions().setHttp1MaxSize(clients));
      this.port = port;
      this.deadline = deadline;
      this.clients = clients;
      for (Shape s : shapes) {
        for (int i = 0; i < s.weight(); i++) {
          order.add(s);
        }
      }
      // interleaved, so every stretch of the warm-up sees every shape; the first client starts with one
      // of each, so even a short warm-up on a busy machine has compiled every path once
      Collections.shuffle(order, new Random(7));
      order.addAll(0, shapes);
    }

    Future<Void> start() {
      running.set(clients);
      for (int c = 0; c < clients; c++) {
        next(c * 7);
      }
      return done.future();
    }

    private void next(int i) {
      // a warm-up in which nothing works stops early: the service is up either way
      if (System.nanoTime() >= deadline || (failed.get() > 100 && failed.get() > sent.get() / 2)) {
        if (running.decrementAndGet() == 0) {
          client.close();
          done.complete();
        }
        return;
      }
      Shape shape = order.get(i % order.size());
      client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
              .setURI("/v1/aggregate").setIdleTimeout(GRACE_MS).putHeader("content-type", "application/json")
              .putHeader("accept", shape.accept()))
          .compose(req -> req.send(shape.body()))
          .compose(res -> res.body().map(b -> res.statusCode()))
          .onComplete(ar -> {
            sent.incrementAndGet();
            if (ar.failed() || ar.result() != 200) {
              failed.incrementAndGet();
            } else {
              sources.addAndGet(shape.sources());
              shapesAnswered.add(shape.index());
            }
            next(i + 1);
          });
    }
  }

  /** Whether the calling thread is one of the warm-up's (its log lines below WARN are dropped). */
  public static boolean onWarmupThread() {
    Vertx vertx = running;
    io.vertx.core.Context context = vertx == null ? null : Vertx.currentContext();
    return context != null && context.owner() == vertx;
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is not worth failing the start for
    }
  }
}
