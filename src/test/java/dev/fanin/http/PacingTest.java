package dev.fanin.http;

import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninHarness;
import dev.fanin.testing.RationedUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pacing through the whole service, against upstreams that ration their callers with a token
 * bucket of their own (RationedUpstream): operator rules, the origin-wide pause, deadline-aware
 * waits, RateLimit headers, soft limits, a definition's own rate, daily budgets across a restart,
 * and what GET /v1/origins shows.
 */
class PacingTest {
  Vertx vertx;
  final List<RationedUpstream> upstreams = new ArrayList<>();
  final List<FaninHarness> fanins = new ArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    fanins.forEach(FaninHarness::stop);
    upstreams.forEach(RationedUpstream::stop);
    vertx.close().await();
  }

  RationedUpstream upstream(double rate, double burst, String mode) {
    RationedUpstream u = new RationedUpstream(vertx, rate, burst, mode).start();
    upstreams.add(u);
    return u;
  }

  FaninHarness fanin(JsonObject config) {
    FaninHarness f = new FaninHarness(vertx, config);
    fanins.add(f);
    return f;
  }

  static JsonObject rules(JsonObject... rules) {
    JsonArray list = new JsonArray();
    for (JsonObject rule : rules) {
      list.add(rule);
    }
    return new JsonObject().put("upstream", new JsonObject().put("origins", list));
  }

  static JsonObject rule(RationedUpstream u) {
    return new JsonObject().put("match", "127.0.0.1:" + u.port());
  }

  static JsonObject many(RationedUpstream u, int n, int retries) {
    JsonArray sources = new JsonArray();
    for (int i = 0; i < n; i++) {
      sources.add(source("s" + i, u.url("/item/" + i)).put("retries", retries).put("timeoutMs", 30_000));
    }
    return new JsonObject().put("sources", sources).put("concurrency", n).put("deadlineMs", 60_000);
  }

  static JsonObject results(HttpResponse<Buffer> res) {
    return res.bodyAsJsonObject().getJsonObject("results");
  }

  static long count(JsonObject results, String status) {
    return results.stream().filter(e -> status.equals(((JsonObject) e.getValue()).getString("status"))).count();
  }

  static String kind(JsonObject result) {
    return result.getJsonObject("error") == null ? null : result.getJsonObject("error").getString("kind");
  }

  @Test
  void aMatchingRuleKeepsTheOriginFromEverThrottling() {
    RationedUpstream u = upstream(40, 4, "retry-after");
    FaninHarness fanin = fanin(rules(rule(u).put("ratePerSecond", 40).put("burst", 4)));
    JsonObject results = results(fanin.aggregate(many(u, 60, 0)));
    assertEquals(60, count(results, "ok"), results.encode());
    assertEquals(0, u.throttled(), "the rule's pace is the upstream's: nothing beyond it was sent");
  }

  @Test
  void oneThrottlePausesTheOriginForEveryAggregation() {
    RationedUpstream u = upstream(0.5, 1, "retry-after"); // Retry-After: 2
    FaninHarness fanin = fanin(new JsonObject());
    JsonObject first = results(fanin.aggregate(definition(source("a", u.url("/a")), source("b", u.url("/b")))));
    assertEquals(1, count(first, "ok"));
    assertEquals(1, u.throttled());
    long sent = u.ok() + u.throttled();
    // another aggregation, which cannot wait out the pause within its deadline: refused at once
    JsonObject other = results(fanin.aggregate(definition(source("c", u.url("/c"))).put("deadlineMs", 800)))
        .getJsonObject("c");
    assertEquals("rate_limited", kind(other), other.encode());
    assertTrue(other.getJsonObject("error").getString("message").contains("would allow it in"), other.encode());
    assertTrue(other.getLong("latencyMs") < 400, "it ended at once, not at its deadline: " + other.encode());
    assertEquals(sent, u.ok() + u.throttled(), "nothing was sent to the paused origin");
    // one that can wait gets through once the pause is over
    JsonObject patient = results(fanin.aggregate(definition(source("d", u.url("/d"))).put("deadlineMs", 5000)))
        .getJsonObject("d");
    assertEquals("ok", patient.getString("status"), patient.encode());
    assertEquals(1, u.throttled(), "the pause held: no second 429");
  }

  @Test
  void aSourceWhoseTurnComesAfterItsDeadlineEndsAtOnceAndNothingIsSent() {
    RationedUpstream u = upstream(100, 100, "retry-after");
    FaninHarness fanin = fanin(rules(rule(u).put("ratePerSecond", 2).put("burst", 1)));
    JsonObject def = definition(source("a", u.url("/a")), source("b", u.url("/b")), source("c", u.url("/c")))
        .put("deadlineMs", 900);
    JsonObject results = results(fanin.aggregate(def));
    assertEquals(2, count(results, "ok"), "at 0 and about 0.5 s: " + results.encode());
    JsonObject late = results.stream().map(e -> (JsonObject) e.getValue())
        .filter(r -> "error".equals(r.getString("status"))).findFirst().orElseThrow();
    assertEquals("rate_limited", kind(late));
    assertTrue(late.getJsonObject("error").getString("message").contains("not sent"), late.encode());
    assertEquals(2, u.ok() + u.throttled(), "the third was never sent");
  }

  @Test
  void retryAfterAloneTeachesFaninTheOriginsRate() {
    RationedUpstream u = upstream(20, 5, "retry-after");
    FaninHarness fanin = fanin(new JsonObject());
    // the first contact meets the wall: how hard depends on how fast cold connections come up
    JsonObject first = results(fanin.aggregate(many(u, 30, 3)));
    assertEquals(30, count(first, "ok"), first.encode());
    long firstContact = u.throttled();
    JsonObject results = results(fanin.aggregate(many(u, 60, 3)));
    assertEquals(60, count(results, "ok"), results.encode());
    // without pacing, each round of retries of these 60 would meet the same wall again (over fifty 429s);
    // once fanin has learned the rate, a throttle costs a request or two while it probes
    assertTrue(u.throttled() - firstContact <= 10, (u.throttled() - firstContact)
        + " answers were 429 after the first contact (" + firstContact + " before): fanin did not learn the pace");
  }

  @Test
  void anAdvertisedRateLimitPolicyIsFollowed() {
    RationedUpstream u = upstream(20, 5, "headers");
    FaninHarness fanin = fanin(new JsonObject());
    JsonObject results = results(fanin.aggregate(many(u, 60, 3)));
    assertEquals(60, count(results, "ok"), results.encode());
    assertTrue(u.throttled() <= 6, u.throttled() + " answers were 429 though the policy said q=20;w=1");
  }

  @Test
  void aSoftLimitInTheBodyCountsAsAThrottleAndEndsTheSourceRateLimited() {
    RationedUpstream u = upstream(0.5, 1, "soft");
    FaninHarness fanin = fanin(rules(rule(u).put("softLimitPointer", "/Note")));
    JsonObject results = results(fanin.aggregate(definition(source("a", u.url("/a")), source("b", u.url("/b")))));
    JsonObject limited = results.stream().map(e -> (JsonObject) e.getValue())
        .filter(r -> "error".equals(r.getString("status"))).findFirst().orElseThrow();
    assertEquals("rate_limited", kind(limited), results.encode());
    assertEquals(200, limited.getInteger("httpStatus"));
    assertTrue(limited.getJsonObject("error").getString("message").contains("/Note"), limited.encode());
    JsonObject origin = origins(fanin).getJsonObject(0);
    assertEquals(1, origin.getLong("throttled"));
    assertNotNull(origin.getString("pausedUntil"), origin.encode());
    String metrics = fanin.client.get("/metrics").send().await().bodyAsString();
    assertTrue(metrics.contains("fanin_upstream_throttled_total{origin=\"http://127.0.0.1:" + u.port() + "\"} 1.0"),
        "the throttle is counted");
    assertTrue(metrics.contains("fanin_upstream_rate_limited_total{origin=\"http://127.0.0.1:" + u.port()
        + "\",reason=\"soft\"} 1.0"), "and so is the source it ended");
  }

  @Test
  void aDefinitionsRateTightensThePaceAndCannotLoosenTheRule() {
    RationedUpstream u = upstream(100, 100, "retry-after");
    FaninHarness fanin = fanin(rules(rule(u).put("ratePerSecond", 10).put("burst", 2)));
    JsonObject def = definition(source("a", u.url("/a")), source("b", u.url("/b")), source("c", u.url("/c")))
        .put("deadlineMs", 800).put("rate", new JsonObject().put("perSecond", 2).put("burst", 1));
    JsonObject results = results(fanin.aggregate(def));
    assertEquals(2, count(results, "ok"), "at 0 and 0.5 s: " + results.encode());
    assertEquals(1, count(results, "error"));
    HttpResponse<Buffer> loose = fanin.aggregate(definition(source("a", u.url("/a")))
        .put("rate", new JsonObject().put("perSecond", 50)));
    assertEquals(400, loose.statusCode());
    assertTrue(loose.bodyAsString().contains("/rate/perSecond"), loose.bodyAsString());
  }

  @Test
  void aDailyBudgetIsSpentOnceAndSurvivesARestart() throws Exception {
    RationedUpstream u = upstream(100, 100, "retry-after");
    Path data = Files.createTempDirectory("fanin-budget");
    JsonObject config = rules(rule(u).put("perDay", 3))
        .put("feeds", new JsonObject().put("dataDir", data.toString()));
    FaninHarness first = fanin(config);
    JsonObject results = results(first.aggregate(definition(source("a", u.url("/a")), source("b", u.url("/b")))));
    assertEquals(2, count(results, "ok"));
    first.stop();
    fanins.remove(first);
    assertTrue(Files.exists(data.resolve("origin-budgets.json")), "saved at stop");
    FaninHarness second = fanin(config);
    results = results(second.aggregate(definition(source("c", u.url("/c")), source("d", u.url("/d")))));
    assertEquals(1, count(results, "ok"), "one request was left of today's 3: " + results.encode());
    JsonObject refused = results.stream().map(e -> (JsonObject) e.getValue())
        .filter(r -> "error".equals(r.getString("status"))).findFirst().orElseThrow();
    assertEquals("rate_limited", kind(refused));
    assertTrue(refused.getJsonObject("error").getString("message").contains("daily budget of 3"), refused.encode());
    assertEquals(3, u.ok(), "the upstream saw exactly the budget");
    JsonObject rule = origins(second).getJsonObject(0).getJsonObject("rule");
    assertEquals(3, rule.getLong("usedToday"));
  }

  @Test
  void originsAreListedWithTheirRuleAndPace() {
    RationedUpstream u = upstream(100, 100, "retry-after");
    FaninHarness fanin = fanin(rules(rule(u).put("ratePerSecond", 50).put("maxConcurrency", 4)));
    fanin.aggregate(definition(source("a", u.url("/a"))));
    JsonObject origin = origins(fanin).getJsonObject(0);
    assertEquals("http://127.0.0.1:" + u.port(), origin.getString("origin"));
    assertEquals("127.0.0.1:" + u.port(), origin.getJsonObject("rule").getString("match"));
    assertEquals(4, origin.getInteger("limit"), "maxConcurrency caps the limit");
    assertEquals(0, origin.getInteger("inFlight"));
    assertNotNull(origin.getDouble("tokens"));
    String metrics = fanin.client.get("/metrics").send().await().bodyAsString();
    assertTrue(metrics.contains("fanin_upstream_concurrency_limit{origin=\"http://127.0.0.1:" + u.port() + "\"} 4.0"),
        "a gauge of the origin's limit");
  }

  static JsonArray origins(FaninHarness fanin) {
    HttpResponse<Buffer> res = fanin.client.get("/v1/origins").send().await();
    assertEquals(200, res.statusCode(), res.bodyAsString());
    return res.bodyAsJsonObject().getJsonArray("origins");
  }
}
