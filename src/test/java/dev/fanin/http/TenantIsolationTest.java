package dev.fanin.http;

import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninExtension;
import dev.fanin.testing.FaninHarness;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared parts (cache, coalescing, breakers, connections to an origin) seen by two clients at
 * once: neither may read the other's answers, deny it an origin or make it wait behind its queue.
 */
class TenantIsolationTest {
  @RegisterExtension
  final FaninExtension fixture = FaninExtension.withoutFanin();

  String origin() {
    return "http://127.0.0.1:" + fixture.upstream().port();
  }

  static JsonObject only(HttpResponse<Buffer> res) {
    return ResilienceTest.only(res);
  }

  JsonObject withHeader(String url, String name, String value) {
    return definition(source("account", url).put("headers", new JsonObject().put(name, value)));
  }

  @Test
  void theCacheNeverServesOneClientsCredentialBoundAnswerToAnother() {
    fixture.startFanin(new JsonObject());
    for (String header : new String[] {"X-API-Key", "Cookie", "X-Tenant-Token"}) {
      String url = fixture.upstream().url("cc=max-age%3D60&echo=" + header + "&h=" + header);
      JsonObject alice = only(fixture.fanin().aggregate(withHeader(url, header, "alice-secret")));
      assertEquals("alice-secret", alice.getJsonObject("data").getString("echo"), header);
      JsonObject bob = only(fixture.fanin().aggregate(withHeader(url, header, "bob-key")));
      assertEquals("bob-key", bob.getJsonObject("data").getString("echo"), header + ": Bob got " + bob.encode());
      assertEquals("miss", bob.getString("cache"), header);
      JsonObject aliceAgain = only(fixture.fanin().aggregate(withHeader(url, header, "alice-secret")));
      assertEquals("hit", aliceAgain.getString("cache"), "the same credentials still share: " + header);
      assertEquals("alice-secret", aliceAgain.getJsonObject("data").getString("echo"));
    }
  }

  @Test
  void coalescingNeverJoinsRequestsWithDifferentCredentials() {
    fixture.startFanin(new JsonObject());
    String url = fixture.upstream().url("delay=300&echo=X-API-Key");
    List<Future<HttpResponse<Buffer>>> answers = new ArrayList<>();
    for (String key : new String[] {"k1", "k2", "k3", "k4"}) {
      answers.add(fixture.fanin().client.request(HttpMethod.POST, "/v1/aggregate").putHeader("Content-Type", "application/json")
          .sendBuffer(withHeader(url, "X-API-Key", key).toBuffer()));
    }
    Future.all(answers).await();
    assertEquals(4, fixture.upstream().requests.get(), "one upstream request per set of credentials");
    for (int i = 0; i < 4; i++) {
      JsonObject result = only(answers.get(i).result());
      assertEquals("k" + (i + 1), result.getJsonObject("data").getString("echo"));
      assertEquals("miss", result.getString("cache"));
    }
  }

  @Test
  void aClientsShortDeadlineNeverOpensTheOriginsBreaker() {
    fixture.startFanin(new JsonObject().put("breaker", new JsonObject().put("maxFailures", 3)));
    for (int i = 0; i < 5; i++) {
      JsonObject result = only(fixture.fanin().aggregate(definition(source("s", fixture.upstream().url("delay=400&i=" + i)))
          .put("deadlineMs", 50)));
      assertEquals("timeout", result.getJsonObject("error").getString("kind"));
    }
    assertEquals(CircuitBreakerState.CLOSED, fixture.fanin().fanin.breakers().forOrigin(origin()).state());
    JsonObject other = only(fixture.fanin().aggregate(definition(source("s", fixture.upstream().url("other=1")))));
    assertEquals("ok", other.getString("status"), other.encode());
  }

  @Test
  void aClientsTightTimeoutNeverOpensTheOriginsBreakerButARealOneDoes() {
    fixture.startFanin(new JsonObject().put("breaker", new JsonObject().put("maxFailures", 3).put("minTimeoutMs", 300)));
    for (int i = 0; i < 5; i++) {
      JsonObject result = only(fixture.fanin().aggregate(definition(
          source("s", fixture.upstream().url("delay=400&i=" + i)).put("timeoutMs", 50))));
      assertEquals("timeout", result.getJsonObject("error").getString("kind"));
    }
    assertEquals(CircuitBreakerState.CLOSED, fixture.fanin().fanin.breakers().forOrigin(origin()).state());
    assertEquals("ok", only(fixture.fanin().aggregate(definition(source("s", fixture.upstream().url("other=1"))))).getString("status"));
    // a timeout at least breaker.minTimeoutMs speaks of the origin, as before
    for (int i = 0; i < 3; i++) {
      fixture.fanin().aggregate(definition(source("s", fixture.upstream().url("delay=1000&j=" + i)).put("timeoutMs", 300)));
    }
    assertEquals(CircuitBreakerState.OPEN, fixture.fanin().fanin.breakers().forOrigin(origin()).state());
  }

  @Test
  void aBigAggregationWaitsForConnectionsInsteadOfFailingAndOthersAreServedFairly() throws Exception {
    // 200 sources of 100 ms through 10 connections: 2 s of work for the big aggregation
    fixture.startFanin(new JsonObject()
        .put("client", new JsonObject().put("maxConnectionsPerOrigin", 10).put("connectTimeoutMs", 200))
        .put("breaker", new JsonObject().put("maxFailures", 3)));
    JsonObject big = FaninHarness.sources(fixture.upstream(), 200, "delay=100").put("concurrency", 1000)
        .put("deadlineMs", 30_000);
    Future<HttpResponse<Buffer>> bigAnswer = fixture.fanin().client.request(HttpMethod.POST, "/v1/aggregate")
        .putHeader("Content-Type", "application/json").sendBuffer(big.toBuffer());
    Thread.sleep(300); // the big one has queued most of its sources by now
    long started = System.nanoTime();
    JsonObject small = only(fixture.fanin().aggregate(definition(source("mine", fixture.upstream().url("delay=10&small=1")))));
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertEquals("ok", small.getString("status"), small.encode());
    // its own 10 ms plus about one request's turn (100 ms), not the 1.5 s of queue ahead of it
    // (the order of turns itself is OriginGateTest's, without a clock)
    assertTrue(tookMs < 1_000, "the single source took " + tookMs + " ms");
    JsonObject bigResults = bigAnswer.await().bodyAsJsonObject().getJsonObject("results");
    for (String id : bigResults.fieldNames()) {
      assertEquals("ok", bigResults.getJsonObject(id).getString("status"), bigResults.getJsonObject(id).encode());
    }
    assertTrue(fixture.upstream().maxInFlight.get() <= 10, "in flight: " + fixture.upstream().maxInFlight.get());
    assertEquals(CircuitBreakerState.CLOSED, fixture.fanin().fanin.breakers().forOrigin(origin()).state());
  }

  @Test
  void aSourceThatCannotGetAConnectionBeforeItsDeadlineSaysSoAndTheBreakerStaysClosed() {
    fixture.startFanin(new JsonObject()
        .put("client", new JsonObject().put("maxConnectionsPerOrigin", 2))
        .put("breaker", new JsonObject().put("maxFailures", 2)));
    JsonObject def = FaninHarness.sources(fixture.upstream(), 10, "delay=400").put("deadlineMs", 600);
    JsonObject results = fixture.fanin().aggregate(def).bodyAsJsonObject().getJsonObject("results");
    int waited = 0;
    for (String id : results.fieldNames()) {
      JsonObject r = results.getJsonObject(id);
      if (!r.getString("status").equals("ok")) {
        assertEquals("timeout", r.getJsonObject("error").getString("kind"), r.encode());
        if (r.getJsonObject("error").getString("message").contains("waited")) {
          waited++;
        }
      }
    }
    assertTrue(waited >= 6, "sources that said they waited for a connection: " + waited + " " + results.encode());
    assertEquals(CircuitBreakerState.CLOSED, fixture.fanin().fanin.breakers().forOrigin(origin()).state());
  }

  @Test
  void oneClientCannotEvictAnothersCacheEntries() {
    // a cache of 200 KB, 25 % (50 KB) per client; answers of about 10 KB
    fixture.startFanin(new JsonObject().put("cache", new JsonObject().put("maxBytes", 200_000)));
    JsonObject mine = definition(source("a", fixture.upstream().url("cc=max-age%3D600&size=10000&mine=1")),
        source("b", fixture.upstream().url("cc=max-age%3D600&size=10000&mine=2")));
    fixture.fanin().aggregate(mine);
    JsonArray many = new JsonArray();
    for (int i = 0; i < 40; i++) {
      many.add(source("s" + i, fixture.upstream().url("cc=max-age%3D600&size=10000&theirs=" + i)));
    }
    fixture.fanin().aggregate(new JsonObject().put("sources", many));
    assertTrue(fixture.fanin().fanin.cache().weightedSize() < 120_000,
        "held " + fixture.fanin().fanin.cache().weightedSize());
    JsonObject again = fixture.fanin().aggregate(mine).bodyAsJsonObject().getJsonObject("results");
    assertEquals("hit", again.getJsonObject("a").getString("cache"));
    assertEquals("hit", again.getJsonObject("b").getString("cache"));
  }
}
