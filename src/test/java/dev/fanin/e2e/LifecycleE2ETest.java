package dev.fanin.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninHarness;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Start-up refusals and graceful shutdown of the real process. */
class LifecycleE2ETest {
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void refusesToListenOffLoopbackWithoutApiKeys() throws Exception {
    // nothing is bound: the check runs before listening
    try (ServiceProcess fanin = ServiceProcess.start(FaninHarness.freePort(),
        Map.of("FANIN_HTTP_HOST", "0.0.0.0"))) {
      assertEquals(2, fanin.awaitExit(Duration.ofSeconds(30)));
      String out = fanin.output();
      assertTrue(out.contains("http.host") && out.contains("security.apiKeys"), out);
    }
  }

  @Test
  void helpPrintsTheUsageOnStandardOutputAndExits0() throws Exception {
    for (String flag : new String[] {"--help", "-h"}) {
      ServiceProcess.Finished help = ServiceProcess.run(Duration.ofSeconds(30), flag);
      assertEquals(0, help.exitCode(), help.stderr());
      assertTrue(help.stdout().startsWith("usage: fanin [--config FILE] [--cluster] [--help]\n"), help.stdout());
      assertTrue(help.stdout().contains("FANIN_") && help.stdout().contains("docs/operations.md"), help.stdout());
      assertEquals("", help.stderr());
    }
  }

  @Test
  void anUnknownArgumentIsOneLineNamingTheUsageAndExitCode2() throws Exception {
    ServiceProcess.Finished refused = ServiceProcess.run(Duration.ofSeconds(30), "--clustered");
    assertEquals(2, refused.exitCode(), refused.stdout() + refused.stderr());
    assertEquals("fanin: unknown argument --clustered; usage: fanin [--config FILE] [--cluster] [--help]",
        refused.stderr().strip());
    assertEquals("", refused.stdout());
  }

  @Test
  void aTakenPortIsOneLineNamingTheAddressAndExitCode1AndNothingRan(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    // the port is taken by an HTTP server that a scheduled operator feed polls: it must hear nothing
    java.util.concurrent.atomic.AtomicInteger polled = new java.util.concurrent.atomic.AtomicInteger();
    com.sun.net.httpserver.HttpServer squatter = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    squatter.createContext("/", exchange -> {
      polled.incrementAndGet();
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    squatter.start();
    int taken = squatter.getAddress().getPort();
    java.nio.file.Path conf = java.nio.file.Files.createDirectories(dir.resolve("conf"));
    java.nio.file.Files.writeString(conf.resolve("ticker.json"), new JsonObject()
        .put("sources", new io.vertx.core.json.JsonArray().add(new JsonObject().put("id", "a")
            .put("url", "http://127.0.0.1:" + taken + "/tick")))
        .put("schedule", new JsonObject().put("everyMs", 1000)).encode());
    try (ServiceProcess fanin = ServiceProcess.start(taken, Map.of("FANIN_FEEDS_CONF_DIR", conf.toString(),
        "FANIN_FEEDS_DATA_DIR", dir.resolve("data").toString()))) {
      assertEquals(1, fanin.awaitExit(Duration.ofSeconds(30)), fanin.output());
      String out = fanin.output();
      assertTrue(out.lines().anyMatch(("fanin: cannot listen on 127.0.0.1:" + taken
          + ": address already in use")::equals), out);
      assertFalse(out.contains("\tat ") || out.contains("Exception"), "a stack trace or exception:\n" + out);
      assertFalse(out.contains("shutting down"), "a start that failed has nothing to shut down:\n" + out);
      assertEquals(0, polled.get(), "the scheduled feed ran although fanin could not listen:\n" + out);
    } finally {
      squatter.stop(0);
    }
  }

  @Test
  void sigtermLetsAggregationsInFlightFinishThenStops() throws Exception {
    int port = FaninHarness.freePort();
    try (ServiceProcess fanin = ServiceProcess.start(port, Map.of())) {
      fanin.awaitHealthy(Duration.ofSeconds(30));
      String def = new JsonObject().put("sources", new io.vertx.core.json.JsonArray().add(new JsonObject()
          .put("id", "slow").put("url", "http://slow.demo.localhost/?ms=1500"))).encode();
      CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(
          HttpRequest.newBuilder(URI.create(fanin.url("/v1/aggregate")))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(def)).build(),
          HttpResponse.BodyHandlers.ofString());
      Thread.sleep(400);
      fanin.process.destroy(); // SIGTERM
      HttpResponse<String> res = inFlight.get(10, TimeUnit.SECONDS);
      assertEquals(200, res.statusCode(), res.body());
      assertTrue(new JsonObject(res.body()).getBoolean("complete"));
      assertTrue(fanin.process.waitFor(15, TimeUnit.SECONDS), "fanin did not stop");
      assertTrue(fanin.output().contains("shutting down"), fanin.output());
      assertThrows(IOException.class, () -> http.send(
          HttpRequest.newBuilder(URI.create(fanin.url("/health"))).build(), HttpResponse.BodyHandlers.ofString()));
    }
  }

  @Test
  void sigtermEndsFeedEventStreamsAtOnceInsteadOfWaitingOutTheGrace() throws Exception {
    int port = FaninHarness.freePort();
    try (ServiceProcess fanin = ServiceProcess.start(port, Map.of("FANIN_HTTP_SHUTDOWN_GRACE_MS", "20000"))) {
      fanin.awaitHealthy(Duration.ofSeconds(30));
      java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
      HttpResponse<java.util.stream.Stream<String>> events = http.send(
          HttpRequest.newBuilder(URI.create(fanin.url("/v1/feeds/headlines/events"))).build(),
          HttpResponse.BodyHandlers.ofLines());
      assertEquals(200, events.statusCode());
      CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> events.body().forEach(lines::add));
      long end = System.currentTimeMillis() + 10_000;
      while (!lines.contains("event: run") && System.currentTimeMillis() < end) {
        Thread.sleep(50);
      }
      assertTrue(lines.contains("event: run"), "no run of the headlines feed: " + lines);
      long stopping = System.nanoTime();
      fanin.process.destroy(); // SIGTERM
      assertTrue(fanin.process.waitFor(8, TimeUnit.SECONDS), "an open event stream held the shutdown");
      long tookMs = (System.nanoTime() - stopping) / 1_000_000;
      reading.get(5, TimeUnit.SECONDS);
      assertTrue(lines.contains("event: shutdown"), "no last event: " + lines);
      assertTrue(tookMs < 8_000, "took " + tookMs + " ms");
    }
  }

  @Test
  void theStartUpWarmUpHoldsReadinessNotLivenessAndLeavesNoTraceInLogsOrMetrics() throws Exception {
    int port = FaninHarness.freePort();
    try (ServiceProcess fanin = ServiceProcess.start(port, Map.of("FANIN_LOG_FORMAT", "json",
        "FANIN_HTTP_WARMUP_MS", "3000", "FANIN_FEEDS_CONF_DIR", "/nonexistent"))) {
      fanin.awaitHealthy(Duration.ofSeconds(30));
      assertEquals(503, status(fanin, "/health/ready"), "ready before the warm-up ended");
      long end = System.currentTimeMillis() + 20_000;
      while (status(fanin, "/health/ready") != 200 && System.currentTimeMillis() < end) {
        Thread.sleep(100);
      }
      assertEquals(200, status(fanin, "/health/ready"), fanin.output());
      String out = fanin.output();
      assertTrue(out.contains("warmed up in") && out.contains("7 shapes (0 failed); ready"), out);
      // hundreds of warm-up aggregations, none of them in the service's log or metrics
      for (String raw : out.split("\n")) {
        assertTrue(!"aggregation".equals(new JsonObject(raw).getString("formattedMessage")), raw);
      }
      HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(fanin.url("/metrics"))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertTrue(!metrics.body().contains("fanin_sources_total{"), "warm-up sources counted:\n" + metrics.body());
      assertTrue(!metrics.body().contains("127.0.0.1"), "the warm-up's origins in the metrics:\n" + metrics.body());
    }
  }

  private int status(ServiceProcess fanin, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(fanin.url(path))).timeout(Duration.ofSeconds(2)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void jsonLogsHaveOneParsableLinePerAggregation() throws Exception {
    int port = FaninHarness.freePort();
    try (ServiceProcess fanin = ServiceProcess.start(port, Map.of("FANIN_LOG_FORMAT", "json",
        "FANIN_FEEDS_CONF_DIR", "/nonexistent"))) {
      fanin.awaitHealthy(Duration.ofSeconds(30));
      String def = new JsonObject().put("sources", new io.vertx.core.json.JsonArray().add(new JsonObject()
          .put("id", "q").put("url", "http://quotes.demo.localhost/BTC"))).encode();
      HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(fanin.url("/v1/aggregate")))
          .header("Content-Type", "application/json").header("X-Request-Id", "log-test-1")
          .POST(HttpRequest.BodyPublishers.ofString(def)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, res.statusCode());
      JsonObject line = null;
      long end = System.currentTimeMillis() + 5000;
      while (line == null && System.currentTimeMillis() < end) {
        for (String raw : fanin.output().split("\n")) {
          JsonObject parsed = new JsonObject(raw); // every line is JSON
          if ("aggregation".equals(parsed.getString("formattedMessage"))
              && parsed.encode().contains("log-test-1")) {
            line = parsed;
          }
        }
        Thread.sleep(50);
      }
      assertTrue(line != null, fanin.output());
      assertEquals("INFO", line.getString("level"));
      JsonObject kv = new JsonObject();
      line.getJsonArray("kvpList").forEach(o -> kv.mergeIn((JsonObject) o));
      assertEquals("1", kv.getString("sources"));
      assertEquals("1", kv.getString("ok"));
      assertTrue(kv.getString("slowest").startsWith("q:"));
      assertTrue(kv.containsKey("durationMs"));
    }
  }

  @Test
  void editsOfTheConfigFileApplyWithoutARestart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path config = dir.resolve("config.json");
    java.nio.file.Files.writeString(config, "{\"aggregate\": {\"maxSources\": 5}}");
    int port = FaninHarness.freePort();
    try (ServiceProcess fanin = ServiceProcess.start(port, Map.of("FANIN_FEEDS_DATA_DIR", dir.resolve("data").toString()),
        "--config", config.toString())) {
      fanin.awaitHealthy(Duration.ofSeconds(30));
      io.vertx.core.json.JsonArray sources = new io.vertx.core.json.JsonArray();
      for (int i = 0; i < 3; i++) {
        sources.add(new JsonObject().put("id", "q" + i).put("url", "http://quotes.demo.localhost/A" + i));
      }
      String def = new JsonObject().put("sources", sources).encode();
      java.util.function.IntSupplier status = () -> {
        try {
          return http.send(HttpRequest.newBuilder(URI.create(fanin.url("/v1/aggregate")))
              .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(def)).build(),
              HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      };
      assertEquals(200, status.getAsInt());
      java.nio.file.Files.writeString(config, "{\"aggregate\": {\"maxSources\": 2}}");
      long end = System.currentTimeMillis() + 10_000;
      while (status.getAsInt() != 400 && System.currentTimeMillis() < end) {
        Thread.sleep(100);
      }
      assertEquals(400, status.getAsInt(), fanin.output());
      assertTrue(fanin.output().contains("config reloaded"), fanin.output());

      java.nio.file.Files.writeString(config, "{\"aggregate\": {\"maxSources\": 2, \"maxInFlight\": -4}}");
      end = System.currentTimeMillis() + 10_000;
      while (!fanin.output().contains("aggregate.maxInFlight") && System.currentTimeMillis() < end) {
        Thread.sleep(100);
      }
      assertTrue(fanin.output().contains("refused: aggregate.maxInFlight"), fanin.output());
      assertEquals(400, status.getAsInt(), "the running config stays");
      assertTrue(fanin.process.isAlive());
    }
  }
}
