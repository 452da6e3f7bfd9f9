package dev.fanin.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninExtension;
import dev.fanin.testing.FaninHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The loads that used to end the process with an OutOfMemoryError, against the real jar with the
 * default start command's heap (128 MB): fanin answers every request (with an error or a 503 where
 * it must) and still serves /health at once afterwards (how fast: bench/run's memory scenario).
 */
class MemoryE2ETest {
  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withoutFanin();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  ServiceProcess fanin;

  @BeforeEach
  void start(@org.junit.jupiter.api.io.TempDir java.nio.file.Path data) throws Exception {
    fanin = ServiceProcess.start(FaninHarness.freePort(), Map.of(
        "FANIN_UPSTREAM_ALLOW_PRIVATE_NETWORKS", "true",
        "FANIN_FEEDS_DATA_DIR", data.toString(),
        "FANIN_FEEDS_CONF_DIR", data.resolve("none").toString(),
        "FANIN_FEEDS_MIN_SCHEDULE_MS", "200",
        "FANIN_HTTP_WRITE_STALL_MS", "3000"));
    fanin.awaitHealthy(Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() throws Exception {
    fanin.close();
  }

  /** The process is alive and answers /health fast. */
  void assertAliveAndQuick() throws Exception {
    assertTrue(fanin.process.isAlive(), "fanin died:\n" + tail());
    long started = System.nanoTime();
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(fanin.url("/health")))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertEquals(200, health.statusCode());
    // at once rather than after seconds of collecting garbage; the slack is for a loaded machine
    assertTrue(tookMs < 1_000, "/health took " + tookMs + " ms");
    assertTrue(!fanin.output().contains("OutOfMemoryError"), tail());
  }

  String tail() throws Exception {
    String out = fanin.output();
    return out.length() > 3000 ? out.substring(out.length() - 3000) : out;
  }

  static String big(int sources, String query) {
    JsonArray list = new JsonArray();
    for (int i = 0; i < sources; i++) {
      list.add(new JsonObject().put("id", "s" + i).put("url", fixture.upstream().url(query + "&i=" + i)));
    }
    return new JsonObject().put("sources", list).put("deadlineMs", 60_000).encode();
  }

  CompletableFuture<HttpResponse<String>> post(String path, String accept, String body) {
    return http.sendAsync(HttpRequest.newBuilder(URI.create(fanin.url(path)))
            .header("Content-Type", "application/json").header("Accept", accept)
            .timeout(Duration.ofSeconds(90)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A client that sends its request and never reads the answer. */
  static Socket stalled(int port, String path, String body) throws Exception {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setReceiveBufferSize(4096);
    OutputStream out = socket.getOutputStream();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Accept: application/x-ndjson\r\nContent-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    out.write(bytes);
    out.flush();
    return socket;
  }

  @Test
  void threeAggregationsOfThirtyMegabytesAnsweredAsJson() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      answers.add(post("/v1/aggregate", "application/json", big(30, "size=1000000&agg=" + i)));
    }
    for (CompletableFuture<HttpResponse<String>> answer : answers) {
      HttpResponse<String> res = answer.get(90, TimeUnit.SECONDS);
      assertTrue(List.of(200, 502, 503).contains(res.statusCode()), res.statusCode() + " " + head(res.body()));
    }
    assertAliveAndQuick();
  }

  @Test
  void ndjsonStreamsReadByClientsAndStreamsNobodyReads() throws Exception {
    List<Socket> stalled = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      stalled.add(stalled(fanin.port, "/v1/aggregate", big(20, "size=1000000&stalled=" + i)));
    }
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      answers.add(post("/v1/aggregate", "application/x-ndjson", big(20, "size=1000000&read=" + i)));
    }
    for (CompletableFuture<HttpResponse<String>> answer : answers) {
      HttpResponse<String> res = answer.get(90, TimeUnit.SECONDS);
      assertTrue(List.of(200, 503).contains(res.statusCode()), res.statusCode() + " " + head(res.body()));
      if (res.statusCode() == 200) {
        String[] lines = res.body().split("\n");
        assertEquals("summary", new JsonObject(lines[lines.length - 1]).getString("type"));
      }
    }
    assertAliveAndQuick();
    for (Socket socket : stalled) {
      socket.close();
    }
    Thread.sleep(500);
    assertAliveAndQuick();
  }

  @Test
  void aMergeOfAHundredLargeFeedsKeepsOnlyWhatItNeeds() throws Exception {
    JsonArray list = new JsonArray();
    for (int i = 0; i < 100; i++) {
      list.add(new JsonObject().put("id", "f" + i).put("url", fixture.upstream().url("rss=1000&type=application/rss%2Bxml&f=" + i))
          .put("fields", new JsonObject().put("title", "/title")));
    }
    String def = new JsonObject().put("sources", list).put("merge", new JsonObject().put("items", true).put("limit", 50))
        .put("deadlineMs", 60_000).encode();
    HttpResponse<String> res = post("/v1/aggregate", "application/json", def).get(90, TimeUnit.SECONDS);
    assertTrue(List.of(200, 502).contains(res.statusCode()), res.statusCode() + " " + head(res.body()));
    JsonObject body = new JsonObject(res.body());
    assertEquals(50, body.getJsonArray("items").size(), head(res.body()));
    assertAliveAndQuick();
  }

  @Test
  void aFeedWhosePlaceholdersCouldExplodeIsRefusedAndARunCannotExplodeEither() throws Exception {
    JsonObject headers = new JsonObject();
    for (int i = 0; i < 64; i++) {
      headers.put("X-H" + i, "{p}".repeat(2700));
    }
    JsonObject feed = new JsonObject()
        .put("params", new JsonObject().put("p", new JsonObject().put("default", "x")))
        .put("sources", new JsonArray().add(new JsonObject().put("id", "a").put("url", fixture.upstream().url("p=1"))
            .put("headers", headers)));
    HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(fanin.url("/v1/feeds/boom")))
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(feed.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(400, put.statusCode(), head(put.body()));
    assertTrue(put.body().contains("/sources/0/headers/X-H0"), head(put.body()));
    assertAliveAndQuick();
  }

  @Test
  void subscribersOfAFeedWithLargeRunsShareOneCopy() throws Exception {
    JsonArray list = new JsonArray();
    for (int i = 0; i < 10; i++) {
      list.add(new JsonObject().put("id", "s" + i).put("url", fixture.upstream().url("size=1000000&feed=1&i=" + i)));
    }
    JsonObject feed = new JsonObject().put("sources", list).put("schedule", new JsonObject().put("everyMs", 1000));
    HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(fanin.url("/v1/feeds/heavy")))
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(feed.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(201, put.statusCode(), head(put.body()));
    List<Socket> stalled = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Socket socket = new Socket("127.0.0.1", fanin.port);
      socket.setReceiveBufferSize(4096);
      socket.getOutputStream().write(("GET /v1/feeds/heavy/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
          .getBytes(StandardCharsets.UTF_8));
      stalled.add(socket);
    }
    List<CompletableFuture<Long>> readers = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      readers.add(CompletableFuture.supplyAsync(() -> readFor(fanin.port, "/v1/feeds/heavy/events", 6_000)));
    }
    for (CompletableFuture<Long> reader : readers) {
      assertTrue(reader.get(30, TimeUnit.SECONDS) > 1_000_000, "a reader got too little");
    }
    assertAliveAndQuick();
    for (Socket socket : stalled) {
      socket.close();
    }
  }

  @Test
  void seventeenThousandOriginsLeaveNoStateThatAScrapeCannotCarry() throws Exception {
    for (int round = 0; round < 17; round++) {
      JsonArray list = new JsonArray();
      for (int i = 0; i < 1000; i++) {
        // closed ports on loopback: each is its own origin, and each is refused at once
        int port = 20_000 + round * 1000 + i;
        list.add(new JsonObject().put("id", "p" + port).put("url", "http://127.0.0.1:" + port + "/"));
      }
      String def = new JsonObject().put("sources", list).put("concurrency", 1000).put("deadlineMs", 20_000).encode();
      HttpResponse<String> res = post("/v1/aggregate", "application/json", def).get(60, TimeUnit.SECONDS);
      assertTrue(List.of(200, 502).contains(res.statusCode()), res.statusCode() + " " + head(res.body()));
    }
    HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(fanin.url("/metrics"))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.body().length() < 2_000_000, "a scrape of " + metrics.body().length() + " bytes");
    HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(fanin.url("/health/ready"))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertTrue(ready.body().length() < 10_000, "readiness of " + ready.body().length() + " bytes");
    assertAliveAndQuick();
  }

  /** Reads an event stream for a while; returns the bytes read. */
  static long readFor(int port, String path, long ms) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      socket.setSoTimeout(1000);
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[65536];
      long total = 0;
      long end = System.currentTimeMillis() + ms;
      while (System.currentTimeMillis() < end) {
        try {
          int n = in.read(buffer);
          if (n < 0) {
            break;
          }
          total += n;
        } catch (java.net.SocketTimeoutException e) {
          // nothing this second
        }
      }
      return total;
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  static String head(String body) {
    return body.length() > 500 ? body.substring(0, 500) : body;
  }
}
