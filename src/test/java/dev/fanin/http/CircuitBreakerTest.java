package dev.fanin.http;

import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninExtension;
import dev.fanin.testing.FaninHarness;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One breaker per origin, shared by both intake instances: open, half-open, closed again. */
class CircuitBreakerTest {
  @RegisterExtension
  final FaninExtension fixture = FaninExtension.withConfig(new JsonObject()
      .put("http", new JsonObject().put("instances", 2))
      // timeouts of 50 ms and more are the origin's (breaker.minTimeoutMs), so that tests stay short
      .put("breaker", new JsonObject().put("maxFailures", 3).put("resetTimeoutMs", 400).put("minTimeoutMs", 50)));

  @Test
  void opensAfterFailuresAcrossInstancesThenRecoversThroughOneTrial() throws Exception {
    // the harness client opens a new connection per request, so requests alternate between the
    // two intake instances: a per-instance breaker would need 6 failures to open, not 3
    for (int i = 0; i < 3; i++) {
      assertEquals("http", kind(fixture.upstream().url("status=500")));
    }
    assertEquals(3, fixture.upstream().requests.get());
    String origin = "http://127.0.0.1:" + fixture.upstream().port();
    assertEquals(CircuitBreakerState.OPEN, fixture.fanin().fanin.breakers().forOrigin(origin).state());

    for (int i = 0; i < 4; i++) {
      assertEquals("circuit_open", kind(fixture.upstream().url("")));
    }
    assertEquals(3, fixture.upstream().requests.get(), "an open breaker must not touch the upstream");

    Thread.sleep(600);
    assertEquals(CircuitBreakerState.HALF_OPEN, fixture.fanin().fanin.breakers().forOrigin(origin).state());
    JsonObject trial = ResilienceTest.only(fixture.fanin().aggregate(definition(source("s", fixture.upstream().url("")))));
    assertEquals("ok", trial.getString("status"));
    assertEquals(4, fixture.upstream().requests.get());
    assertEquals(CircuitBreakerState.CLOSED, fixture.fanin().fanin.breakers().forOrigin(origin).state());
    assertEquals("ok", ResilienceTest.only(fixture.fanin().aggregate(definition(source("s", fixture.upstream().url("")))))
        .getString("status"));
  }

  @Test
  void aFailedTrialOpensTheBreakerAgain() throws Exception {
    for (int i = 0; i < 3; i++) {
      kind(fixture.upstream().url("status=503"));
    }
    Thread.sleep(600);
    assertEquals("http", kind(fixture.upstream().url("status=503")));
    assertEquals("circuit_open", kind(fixture.upstream().url("")));
    assertEquals(4, fixture.upstream().requests.get());
  }

  @Test
  void clientErrorsDoNotOpenTheBreaker() {
    for (int i = 0; i < 6; i++) {
      assertEquals("http", kind(fixture.upstream().url("status=404")));
    }
    assertEquals(6, fixture.upstream().requests.get());
  }

  @Test
  void timeoutsAndConnectErrorsCountAsFailures() {
    for (int i = 0; i < 3; i++) {
      JsonObject def = definition(source("s", fixture.upstream().url("delay=1000")).put("timeoutMs", 50));
      assertEquals("timeout", ResilienceTest.only(fixture.fanin().aggregate(def)).getJsonObject("error").getString("kind"));
    }
    assertEquals("circuit_open", kind(fixture.upstream().url("")));
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
      kind(fixture.upstream().url("status=500"));
    }
    assertEquals("circuit_open", kind(fixture.upstream().url("")));
    // localhost is another origin than 127.0.0.1, even on the same port
    assertTrue(kind("http://localhost:" + fixture.upstream().port() + "/x") == null);
  }

  private String kind(String url) {
    JsonObject result = ResilienceTest.only(fixture.fanin().aggregate(definition(source("s", url))));
    JsonObject error = result.getJsonObject("error");
    return error == null ? null : error.getString("kind");
  }
}
