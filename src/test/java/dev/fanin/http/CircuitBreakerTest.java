package dev.fanin.http;

import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FakeUpstream;
import dev.fanin.testing.FaninHarness;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One breaker per origin, shared by both intake instances: open, half-open, closed again. */
class CircuitBreakerTest {
  Vertx vertx;
  FakeUpstream upstream;
  FaninHarness fanin;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    upstream = new FakeUpstream(vertx).start();
    fanin = new FaninHarness(vertx, new JsonObject()
        .put("http", new JsonObject().put("instances", 2))
        // timeouts of 50 ms and more are the origin's (breaker.minTimeoutMs), so that tests stay short
        .put("breaker", new JsonObject().put("maxFailures", 3).put("resetTimeoutMs", 400).put("minTimeoutMs", 50)));
  }

  @AfterEach
  void stop() {
    fanin.stop();
    upstream.stop();
    vertx.close().await();
  }

  @Test
  void opensAfterFailuresAcrossInstancesThenRecoversThroughOneTrial() throws Exception {
    // the harness client opens a new connection per request, so requests alternate between the
    // two intake instances: a per-instance breaker would need 6 failures to open, not 3
    for (int i = 0; i < 3; i++) {
      assertEquals("http", kind(upstream.url("status=500")));
    }
    assertEquals(3, upstream.requests.get());
    String origin = "http://127.0.0.1:" + upstream.port();
    assertEquals(CircuitBreakerState.OPEN, fanin.fanin.breakers().forOrigin(origin).state());

    for (int i = 0; i < 4; i++) {
      assertEquals("circuit_open", kind(upstream.url("")));
    }
    assertEquals(3, upstream.requests.get(), "an open breaker must not touch the upstream");

    Thread.sleep(600);
    assertEquals(CircuitBreakerState.HALF_OPEN, fanin.fanin.breakers().forOrigin(origin).state());
    JsonObject trial = ResilienceTest.only(fanin.aggregate(definition(source("s", upstream.url("")))));
    assertEquals("ok", trial.getString("status"));
    assertEquals(4, upstream.requests.get());
    assertEquals(CircuitBreakerState.CLOSED, fanin.fanin.breakers().forOrigin(origin).state());
    assertEquals("ok", ResilienceTest.only(fanin.aggregate(definition(source("s", upstream.url("")))))
        .getString("status"));
  }

  @Test
  void aFailedTrialOpensTheBreakerAgain() throws Exception {
    for (int i = 0; i < 3; i++) {
      kind(upstream.url("status=503"));
    }
    Thread.sleep(600);
    assertEquals("http", kind(upstream.url("status=503")));
    assertEquals("circuit_open", kind(upstream.url("")));
    assertEquals(4, upstream.requests.get());
  }

  @Test
  void clientErrorsDoNotOpenTheBreaker() {
    for (int i = 0; i < 6; i++) {
      assertEquals("http", kind(upstream.url("status=404")));
    }
    assertEquals(6, upstream.requests.get());
  }

  @Test
  void timeoutsAndConnectErrorsCountAsFailures() {
    for (int i = 0; i < 3; i++) {
      JsonObject def = definition(source("s", upstream.url("delay=1000")).put("timeoutMs", 50));
      assertEquals("timeout", ResilienceTest.only(fanin.aggregate(def)).getJsonObject("error").getString("kind"));
    }
    assertEquals("circuit_open", kind(upstream.url("")));
    int closedPort = FaninHarness.freePort();
    String dead = "http://127.0.0.1:" + closedPort + "/";
    for (int i = 0; i < 3; i++) {
      assertEquals("connect", kind(dead));
    }
    assertEquals("circuit_open", kind(dead));
  }

  @Test
  void breakersAreKeptPerOrigin() {
    for (int i = 0; i < 3; i++) {
      kind(upstream.url("status=500"));
    }
    assertEquals("circuit_open", kind(upstream.url("")));
    // localhost is another origin than 127.0.0.1, even on the same port
    assertTrue(kind("http://localhost:" + upstream.port() + "/x") == null);
  }

  private String kind(String url) {
    JsonObject result = ResilienceTest.only(fanin.aggregate(definition(source("s", url))));
    JsonObject error = result.getJsonObject("error");
    return error == null ? null : error.getString("kind");
  }
}
