package dev.fanin.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds on disk with the real jar: a broken operator feed stops the start; API feeds survive
 * kill -9 in the middle of writes, and never leave a file that fails to load.
 */
class FeedPersistenceE2ETest {
  static final int LANES = 24;
  static final int NAMES_PER_LANE = 4;
  static final int ROUNDS = 3;
  ExecutorService clientThreads;
  HttpClient http;

  @BeforeEach
  void client() {
    clientThreads = Executors.newFixedThreadPool(4);
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads)
        .connectTimeout(Duration.ofSeconds(2)).build();
  }

  @AfterEach
  void closeClient() throws InterruptedException {
    clientThreads.shutdownNow();
    clientThreads.awaitTermination(5, TimeUnit.SECONDS);
  }

  static Map<String, String> dirs(Path data, Path conf) {
    return Map.of("FANIN_FEEDS_DATA_DIR", data.toString(), "FANIN_FEEDS_CONF_DIR", conf.toString(),
        "FANIN_DEMO_ENABLED", "false");
  }

  static String lineWith(String output, String... parts) {
    return output.lines().filter(l -> Stream.of(parts).allMatch(l::contains)).findFirst().orElse(null);
  }

  @Test
  void aBrokenOperatorFeedStopsTheStartNamingTheFileAndTheField(@TempDir Path dir) throws Exception {
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Files.writeString(conf.resolve("good.json"), "{\"sources\": [{\"id\": \"a\", \"url\": \"http://127.0.0.1:9/x\"}]}");
    Files.writeString(conf.resolve("broken.json"), "{\"sources\": [{\"id\": \"a\"}]}");
    try (ServiceProcess fanin = ServiceProcess.start(FaninHarness.freePort(),
        dirs(Files.createDirectories(dir.resolve("data")), conf))) {
      assertEquals(2, fanin.awaitExit(Duration.ofSeconds(30)), fanin.output());
      String out = fanin.output();
      assertTrue(lineWith(out, "invalid feed", "broken.json", "/sources/0/url") != null, out);
    }
  }

  @Test
  void aBrokenFeedInTheConfiguredFolderStopsTheStart(@TempDir Path dir) throws Exception {
    Path conf = Files.createDirectories(dir.resolve("operator feeds"));
    Files.writeString(conf.resolve("ticker.json"),
        "{\"sources\": [{\"id\": \"a\", \"url\": \"http://127.0.0.1:9/x\"}], \"schedule\": {\"everyMs\": 5}}");
    Path config = dir.resolve("config.json");
    Files.writeString(config, new JsonObject().put("feeds", new JsonObject()
        .put("confDir", conf.toString()).put("dataDir", dir.resolve("data").toString())).encode());
    try (ServiceProcess fanin = ServiceProcess.start(FaninHarness.freePort(), Map.of(), "--config", config.toString())) {
      assertEquals(2, fanin.awaitExit(Duration.ofSeconds(30)), fanin.output());
      String out = fanin.output();
      assertTrue(lineWith(out, "ticker.json", "/schedule/everyMs") != null, out);
    }
  }

  /** One sequence of PUTs on a few names of its own, one request in flight at a time. */
  final class Lane {
    final List<String> names = new ArrayList<>();
    int next;

    Lane(int id) {
      for (int i = 0; i < NAMES_PER_LANE; i++) {
        names.add("lane" + id + "-feed" + i);
      }
    }
  }

  /** What the clients know: per name, the highest acknowledged version and the highest sent. */
  final Map<String, Long> acked = new ConcurrentHashMap<>();
  final Map<String, Long> sent = new ConcurrentHashMap<>();
  final java.util.concurrent.atomic.AtomicLong versions = new java.util.concurrent.atomic.AtomicLong();

  static JsonObject feedVersion(long version) {
    JsonArray sources = new JsonArray();
    // a few kilobytes, so that a kill can land in the middle of writing one
    for (int i = 0; i < 40; i++) {
      sources.add(new JsonObject().put("id", "s" + i).put("url", "http://127.0.0.1:9/v/" + version + "/" + i)
          .put("headers", new JsonObject().put("X-Pad", "p".repeat(40))));
    }
    return new JsonObject().put("sources", sources);
  }

  static long versionOf(JsonObject definition) {
    String url = definition.getJsonArray("sources").getJsonObject(0).getString("url");
    return Long.parseLong(url.split("/")[4]);
  }

  CompletableFuture<Void> run(Lane lane, ServiceProcess fanin, AtomicBoolean stop, AtomicInteger roundAcks) {
    if (stop.get()) {
      return CompletableFuture.completedFuture(null);
    }
    String name = lane.names.get(lane.next++ % lane.names.size());
    long version = versions.incrementAndGet();
    sent.merge(name, version, Math::max);
    HttpRequest request = HttpRequest.newBuilder(URI.create(fanin.url("/v1/feeds/" + name)))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(feedVersion(version).encode())).build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((res, err) -> {
      if (err == null && res.statusCode() / 100 == 2) {
        acked.merge(name, version, Math::max);
        roundAcks.incrementAndGet();
      } else if (err == null) {
        throw new AssertionError("PUT " + name + " answered " + res.statusCode());
      } else {
        stop.set(true);
      }
      return null;
    }).thenCompose(v -> run(lane, fanin, stop, roundAcks));
  }

  @Test
  void acknowledgedFeedsSurviveKillNineDuringWrites(@TempDir Path dir) throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Files.writeString(conf.resolve("operator.json"), "{\"sources\": [{\"id\": \"a\", \"url\": \"http://127.0.0.1:9/x\"}]}");
    List<Lane> lanes = new ArrayList<>();
    for (int i = 0; i < LANES; i++) {
      lanes.add(new Lane(i));
    }
    for (int round = 1; round <= ROUNDS; round++) {
      try (ServiceProcess fanin = ServiceProcess.start(FaninHarness.freePort(), dirs(data, conf))) {
        fanin.awaitHealthy(Duration.ofSeconds(30));
        if (round > 1) {
          verify(fanin, data, round);
        } else {
          assertEquals(409, send(fanin, "PUT", "/v1/feeds/operator", feedVersion(0)).statusCode());
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger roundAcks = new AtomicInteger();
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (Lane lane : lanes) {
          running.add(CompletableFuture.supplyAsync(() -> run(lane, fanin, stop, roundAcks), clientThreads)
              .thenCompose(f -> f));
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
        while (roundAcks.get() < 150 && System.nanoTime() < until) {
          Thread.sleep(10);
        }
        Thread.sleep(ThreadLocalRandom.current().nextInt(30));
        fanin.process.destroyForcibly();
        assertTrue(fanin.process.waitFor(10, TimeUnit.SECONDS), "fanin survived SIGKILL");
        stop.set(true);
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        assertTrue(roundAcks.get() >= 20, "too few PUTs were acknowledged to test anything: " + roundAcks.get());
      }
    }
    try (ServiceProcess fanin = ServiceProcess.start(FaninHarness.freePort(), dirs(data, conf))) {
      fanin.awaitHealthy(Duration.ofSeconds(30));
      verify(fanin, data, ROUNDS + 1);
    }
  }

  /** Every acknowledged feed is there, in its acknowledged version or the one in flight after it. */
  void verify(ServiceProcess fanin, Path data, int round) throws Exception {
    HttpResponse<String> listed = send(fanin, "GET", "/v1/feeds", null);
    assertEquals(200, listed.statusCode(), listed.body());
    Map<String, String> etags = new HashMap<>();
    for (Object f : new JsonObject(listed.body()).getJsonArray("feeds")) {
      JsonObject feed = (JsonObject) f;
      etags.put(feed.getString("name"), feed.getString("etag"));
    }
    assertTrue(etags.containsKey("operator"));
    for (Map.Entry<String, Long> e : acked.entrySet()) {
      String name = e.getKey();
      assertTrue(etags.containsKey(name), "round " + round + ": acknowledged feed " + name + " was lost");
      HttpResponse<String> got = send(fanin, "GET", "/v1/feeds/" + name, null);
      assertEquals(200, got.statusCode());
      long version = versionOf(new JsonObject(got.body()).getJsonObject("definition"));
      assertTrue(version >= e.getValue() && version <= sent.get(name),
          "round " + round + ": " + name + " is at version " + version + "; acknowledged " + e.getValue()
              + ", last sent " + sent.get(name));
    }
    try (Stream<Path> files = Files.list(data.resolve("feeds"))) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      List<String> temps = names.stream().filter(n -> n.endsWith(".tmp")).toList();
      assertEquals(List.of(), temps, "temporary files remain after the restart");
      List<String> feeds = names.stream().filter(n -> n.endsWith(".json")).toList();
      assertEquals(etags.size() - 1, feeds.size(), "files on disk but not loaded: " + feeds);
    }
  }

  HttpResponse<String> send(ServiceProcess fanin, String method, String path, JsonObject body) throws Exception {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(fanin.url(path))).timeout(Duration.ofSeconds(10));
    if (body == null) {
      req.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      req.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
    }
    return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
  }
}
