package dev.fanin.http;

import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FakeUpstream;
import dev.fanin.testing.FaninHarness;
import dev.fanin.testing.RationedUpstream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Upstream request budgets per client (security.clientBudget, per-key values): fanin is not an
 * amplifier. One client's rate and requests in flight are bounded across its aggregations, retries
 * count, a 429 storm with Retry-After: 0 stays bounded, an aggregation that could never fit is
 * refused, and operators see each client in GET /v1/clients.
 */
class ClientBudgetTest {
  Vertx vertx;
  final List<Runnable> stops = new ArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    for (int i = stops.size() - 1; i >= 0; i--) {
      stops.get(i).run();
    }
    vertx.close().await();
  }

  FaninHarness fanin(JsonObject config) {
    FaninHarness f = new FaninHarness(vertx, config);
    stops.add(f::stop);
    return f;
  }

  FakeUpstream fake() {
    FakeUpstream u = new FakeUpstream(vertx).start();
    stops.add(u::stop);
    return u;
  }

  static JsonObject budget(double perSecond, int burst, int inFlight) {
    return new JsonObject().put("security", new JsonObject().put("clientBudget", new JsonObject()
        .put("upstreamPerSecond", perSecond).put("upstreamBurst", burst).put("maxUpstreamInFlight", inFlight)));
  }

  static JsonObject many(String base, int n, JsonObject extra) {
    JsonArray sources = new JsonArray();
    for (int i = 0; i < n; i++) {
      sources.add(source("s" + i, base + (base.contains("?") ? "&" : "?") + "i=" + i).mergeIn(extra));
    }
    return new JsonObject().put("sources", sources).put("concurrency", n).put("deadlineMs", 10_000);
  }

  static JsonObject results(HttpResponse<Buffer> res) {
    return res.bodyAsJsonObject().getJsonObject("results");
  }

  static long count(JsonObject results, String status) {
    return results.stream().filter(e -> status.equals(((JsonObject) e.getValue()).getString("status"))).count();
  }

  @Test
  void anAnonymousClientsRateHoldsAcrossItsAggregations() {
    // the upstream allows a little more than the client's budget: anything beyond the budget would be a 429
    RationedUpstream upstream = new RationedUpstream(vertx, 25, 6, "retry-after").start();
    stops.add(upstream::stop);
    FaninHarness fanin = fanin(budget(20, 5, 0));
    JsonObject def = many(upstream.url("/x"), 15, new JsonObject());
    List<Future<HttpResponse<Buffer>>> both = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      both.add(fanin.client.request(HttpMethod.POST, "/v1/aggregate").putHeader("Content-Type", "application/json")
          .sendBuffer(def.toBuffer()));
    }
    for (Future<HttpResponse<Buffer>> one : both) {
      JsonObject results = results(one.await());
      assertEquals(15, count(results, "ok"), results.stream().map(e -> (JsonObject) e.getValue())
          .filter(r -> !"ok".equals(r.getString("status"))).toList().toString());
    }
    assertEquals(0, upstream.throttled(), "two aggregations of one client shared its 20 a second");
  }

  @Test
  void aClientsRequestsInFlightAreBounded() {
    FakeUpstream upstream = fake();
    FaninHarness fanin = fanin(budget(0, 1, 4));
    JsonObject results = results(fanin.aggregate(many(upstream.url("delay=150"), 12, new JsonObject())));
    assertEquals(12, count(results, "ok"), results.encode());
    assertEquals(4, upstream.maxInFlight.get(), "the client's 4 in flight, not the aggregation's 12");
  }

  @Test
  void anAggregationThatCouldNeverFitIsRefusedWith429() {
    FakeUpstream upstream = fake();
    FaninHarness fanin = fanin(budget(10, 5, 0));
    HttpResponse<Buffer> res = fanin.aggregate(many(upstream.url(""), 100, new JsonObject()).put("deadlineMs", 1000));
    BadInputTest.assertProblem(res, 429);
    assertTrue(res.bodyAsString().contains("upstreamPerSecond"), res.bodyAsString());
    assertEquals(0, upstream.requests.get(), "nothing was sent");
  }

  @Test
  void retriesCountAndARetryAfterOfZeroStormStaysBounded() {
    FakeUpstream upstream = fake();
    FaninHarness fanin = fanin(new JsonObject());
    JsonObject def = many(upstream.url("status=429&retryAfter=0"), 10, new JsonObject().put("retries", 5))
        .put("deadlineMs", 2000);
    long started = System.nanoTime();
    fanin.aggregate(def);
    long ms = (System.nanoTime() - started) / 1_000_000;
    // unpaced, 10 sources × 6 attempts hit the origin 60 times in well under a second
    assertTrue(upstream.requests.get() <= 25, upstream.requests.get() + " requests in " + ms + " ms");
  }

  @Test
  void aKeysOwnBudgetAndWhatOperatorsSee() {
    FakeUpstream upstream = fake();
    JsonObject config = new JsonObject().put("security", new JsonObject()
        .put("apiKeys", new JsonArray()
            .add(new JsonObject().put("id", "slow").put("sha256", AccessControlTest.sha256("slow-secret"))
                .put("scopes", new JsonArray().add("aggregate")).put("upstreamPerSecond", 1).put("upstreamBurst", 1))
            .add(new JsonObject().put("id", "ops").put("sha256", AccessControlTest.sha256("ops-secret"))
                .put("scopes", new JsonArray().add("aggregate").add("feeds:read").add("feeds:admin")))
            .add(new JsonObject().put("id", "reader").put("sha256", AccessControlTest.sha256("read-secret"))
                .put("scopes", new JsonArray().add("feeds:read")))));
    FaninHarness fanin = fanin(config);
    // a token a second: the first call takes the tokens of 0 and 1 s; the second, starting about 1 s in (up to
    // half a second late on a busy machine), gets the one of 2 s, and the one of 3 s is past its deadline
    JsonObject def = many(upstream.url(""), 2, new JsonObject()).put("deadlineMs", 1500);
    JsonObject first = results(call(fanin, HttpMethod.POST, "/v1/aggregate", "slow-secret", def));
    assertEquals(2, count(first, "ok"), "tokens at 0 and 1 s: " + first.encode());
    JsonObject slow = results(call(fanin, HttpMethod.POST, "/v1/aggregate", "slow-secret", def));
    assertEquals(1, count(slow, "ok"), "the next tokens come at 2 and 3 s; 3 s is past this deadline: "
        + slow.encode());
    JsonObject refused = slow.stream().map(e -> (JsonObject) e.getValue())
        .filter(r -> "error".equals(r.getString("status"))).findFirst().orElseThrow();
    assertEquals("rate_limited", refused.getJsonObject("error").getString("kind"));
    assertTrue(refused.getJsonObject("error").getString("message").contains("upstream budget"), refused.encode());
    JsonObject ops = results(call(fanin, HttpMethod.POST, "/v1/aggregate", "ops-secret", def));
    assertEquals(2, count(ops, "ok"), "another key's budget is its own");

    BadInputTest.assertProblem(call(fanin, HttpMethod.GET, "/v1/clients", "read-secret", null), 403);
    HttpResponse<Buffer> clients = call(fanin, HttpMethod.GET, "/v1/clients", "ops-secret", null);
    assertEquals(200, clients.statusCode(), clients.bodyAsString());
    JsonObject slowClient = clients.bodyAsJsonObject().getJsonArray("clients").stream().map(o -> (JsonObject) o)
        .filter(c -> c.getString("client").equals("key:slow")).findFirst().orElseThrow();
    assertEquals(3, slowClient.getLong("sent"));
    assertEquals(1, slowClient.getLong("refused"));
    assertEquals(1.0, slowClient.getJsonObject("budget").getDouble("upstreamPerSecond"));
    String metrics = fanin.client.get("/metrics").send().await().bodyAsString();
    assertTrue(metrics.contains("fanin_client_upstream_refused_total{client=\"slow\",reason=\"rate\"} 1.0"), "per key");
  }

  @Test
  void aScheduledFeedRunsOnItsOwnersBudget() {
    FakeUpstream upstream = fake();
    JsonObject config = new JsonObject()
        .put("feeds", new JsonObject().put("minScheduleMs", 100))
        .put("security", new JsonObject().put("apiKeys", new JsonArray()
            .add(new JsonObject().put("id", "etl").put("sha256", AccessControlTest.sha256("etl-secret"))
                .put("scopes", new JsonArray().add("feeds:read").add("feeds:write")).put("upstreamPerSecond", 7))
            .add(new JsonObject().put("id", "ops").put("sha256", AccessControlTest.sha256("ops-secret"))
                .put("scopes", new JsonArray().add("feeds:admin")))));
    FaninHarness fanin = fanin(config);
    JsonObject feed = many(upstream.url(""), 2, new JsonObject()).put("schedule", new JsonObject().put("everyMs", 100));
    assertEquals(201, call(fanin, HttpMethod.PUT, "/v1/feeds/nightly", "etl-secret", feed).statusCode());
    assertTrue(dev.fanin.testing.Eventually.eventually(10_000, () -> upstream.requests.get() >= 2), "it ran");
    JsonObject etl = call(fanin, HttpMethod.GET, "/v1/clients", "ops-secret", null).bodyAsJsonObject()
        .getJsonArray("clients").stream().map(o -> (JsonObject) o)
        .filter(c -> c.getString("client").equals("key:etl")).findFirst().orElseThrow();
    assertTrue(etl.getLong("sent") >= 2, etl.encode());
    assertEquals(7.0, etl.getJsonObject("budget").getDouble("upstreamPerSecond"), "the owner's own budget");
  }

  static HttpResponse<Buffer> call(FaninHarness fanin, HttpMethod method, String path, String key, JsonObject body) {
    var req = fanin.client.request(method, path).putHeader("Authorization", "Bearer " + key);
    if (body != null) {
      return req.putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer()).await();
    }
    return req.send().await();
  }
}
