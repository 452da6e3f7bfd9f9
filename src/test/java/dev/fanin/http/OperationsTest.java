package dev.fanin.http;

import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninExtension;
import dev.fanin.testing.FaninHarness;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Metrics, Server-Timing, request ids, health and readiness, and the circuits listing. */
class OperationsTest {
  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withConfig(new JsonObject()
      .put("breaker", new JsonObject().put("maxFailures", 2).put("resetTimeoutMs", 60_000)));

  /** The feeds' data directory (the harness's own temporary one). */
  static Path dataDir() {
    return Path.of(fixture.fanin().fanin.config().feeds().dataDir());
  }

  String get(String path) {
    return fixture.fanin().client.request(HttpMethod.GET, path).send().await().bodyAsString();
  }

  static double value(String scrape, String series) {
    for (String line : scrape.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return Double.NaN;
  }

  @Test
  void metricsCountSourcesRetriesAndUpstreamLatencyPerOrigin() {
    String origin = "http://127.0.0.1:" + fixture.upstream().port();
    String key = java.util.UUID.randomUUID().toString();
    fixture.fanin().aggregate(definition(source("a", fixture.upstream().url("")),
        source("b", fixture.upstream().url("status=503&failFirst=1&key=" + key)).put("retries", 1),
        source("c", fixture.upstream().url("status=404"))));
    String scrape = get("/metrics");
    assertTrue(value(scrape, "fanin_sources_total{outcome=\"ok\"}") >= 2, scrape);
    assertTrue(value(scrape, "fanin_sources_total{outcome=\"http\"}") >= 1);
    assertTrue(value(scrape, "fanin_upstream_retries_total") >= 1);
    assertTrue(value(scrape, "fanin_upstream_latency_seconds_count{origin=\"" + origin + "\",outcome=\"2xx\"}") >= 2);
    assertTrue(value(scrape, "fanin_upstream_latency_seconds_count{origin=\"" + origin + "\",outcome=\"5xx\"}") >= 1);
    assertTrue(scrape.contains("fanin_upstream_latency_seconds_bucket{origin=\"" + origin + "\",outcome=\"2xx\",le=\"0.1\"}"));
    assertTrue(scrape.contains("jvm_memory_used_bytes"), "JVM metrics are exported");
    assertTrue(scrape.contains("fanin_aggregations_inflight"));
    assertFalse(scrape.contains("/x?"), "URLs must never be labels");
  }

  @Test
  void breakerStateAndTransitionsAreExported() {
    int port = FaninHarness.freePort();
    String dead = "http://127.0.0.1:" + port;
    for (int i = 0; i < 2; i++) {
      fixture.fanin().aggregate(definition(source("d", dead + "/x")));
    }
    String scrape = get("/metrics");
    assertEquals(2.0, value(scrape, "fanin_breaker_state{origin=\"" + dead + "\"}"), scrape);
    assertEquals(1.0, value(scrape, "fanin_breaker_transitions_total{origin=\"" + dead + "\",to=\"open\"}"));
    JsonArray circuits = new JsonObject(get("/v1/circuits")).getJsonArray("circuits");
    JsonObject circuit = circuits.stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("origin").equals(dead)).findFirst().orElseThrow();
    assertEquals("OPEN", circuit.getString("state"));
    assertNotNull(circuit.getString("lastTransition"));
    JsonObject ready = new JsonObject(get("/health/ready"));
    JsonObject breakers = ready.getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("id").equals("breakers")).findFirst().orElseThrow();
    assertEquals("OPEN", breakers.getJsonObject("data").getJsonObject("notClosed").getString(dead));
    assertEquals(1, breakers.getJsonObject("data").getInteger("open"));
  }

  @Test
  void serverTimingHasOneEntryPerSourceAndTheTotal() {
    HttpResponse<Buffer> res = fixture.fanin().aggregate(definition(
        source("fast", fixture.upstream().url("")), source("slow", fixture.upstream().url("delay=120"))));
    String timing = res.getHeader("Server-Timing");
    assertTrue(Pattern.matches("(fast|slow);dur=\\d+, (fast|slow);dur=\\d+, total;dur=\\d+", timing), timing);
    assertTrue(timing.indexOf("fast") < timing.indexOf("slow"), "in completion order: " + timing);
  }

  @Test
  void theRequestIdIsEchoedAndSentUpstream() {
    HttpResponse<Buffer> res = fixture.fanin().client.request(HttpMethod.POST, "/v1/aggregate")
        .putHeader("Content-Type", "application/json").putHeader("X-Request-Id", "trace-42")
        .sendBuffer(definition(source("a", fixture.upstream().url("probe=rid"))).toBuffer()).await();
    assertEquals("trace-42", res.getHeader("X-Request-Id"));
    assertEquals("trace-42", fixture.upstream().lastRequest().headers().get("X-Request-Id"));
    HttpResponse<Buffer> generated = fixture.fanin().aggregate(definition(source("a", fixture.upstream().url(""))));
    assertTrue(generated.getHeader("X-Request-Id").matches("[0-9a-f-]{36}"));
    HttpResponse<Buffer> unsafe = fixture.fanin().client.request(HttpMethod.GET, "/health")
        .putHeader("X-Request-Id", "a b\"c").send().await();
    assertTrue(unsafe.getHeader("X-Request-Id").matches("[0-9a-f-]{36}"), "unsafe ids are replaced");
  }

  @Test
  void livenessAndReadiness() throws Exception {
    HttpResponse<Buffer> live = fixture.fanin().client.request(HttpMethod.GET, "/health/live").send().await();
    assertEquals(200, live.statusCode());
    HttpResponse<Buffer> ready = fixture.fanin().client.request(HttpMethod.GET, "/health/ready").send().await();
    assertEquals(200, ready.statusCode(), ready.bodyAsString());
    assertEquals("UP", ready.bodyAsJsonObject().getString("status"));

    // the data directory stops being writable: not ready
    Path feeds = dataDir().resolve("feeds");
    Path moved = dataDir().resolve("feeds-moved");
    Files.move(feeds, moved);
    Files.writeString(feeds, "not a directory");
    try {
      HttpResponse<Buffer> notReady = fixture.fanin().client.request(HttpMethod.GET, "/health/ready").send().await();
      assertEquals(503, notReady.statusCode(), notReady.bodyAsString());
      assertTrue(notReady.bodyAsString().contains("dataDir"));
      assertEquals(200, fixture.fanin().client.request(HttpMethod.GET, "/health/live").send().await().statusCode());
    } finally {
      Files.delete(feeds);
      Files.move(moved, feeds);
    }
  }
}
