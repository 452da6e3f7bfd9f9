package dev.fanin.http;

import static dev.fanin.testing.Eventually.eventually;
import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninExtension;
import dev.fanin.testing.FaninHarness;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Partial failure, status codes, retries, Retry-After, deadlines and body bounds. */
class ResilienceTest {
  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withConfig(new JsonObject()
      .put("source", new JsonObject().put("maxBodyBytes", 1000))
      .put("retry", new JsonObject().put("initialBackoffMs", 10).put("maxBackoffMs", 50))
      // failures here must not open the breaker for the other tests: they share one origin
      .put("breaker", new JsonObject().put("maxFailures", 1000)))
      // a Retry-After pauses its whole origin: the two Retry-After tests have origins of their own
      .upstreams(3)
      .resetCountersBeforeEach();

  @Test
  void aFailedRequiredSourceGives502WithTheFullAggregate() {
    HttpResponse<Buffer> res = fixture.fanin().aggregate(definition(
        source("good", fixture.upstream().url("")),
        source("bad", fixture.upstream().url("status=500&body=oops").replace("oops", "oops"))));
    assertEquals(502, res.statusCode());
    JsonObject body = res.bodyAsJsonObject();
    assertFalse(body.getBoolean("complete"));
    JsonObject results = body.getJsonObject("results");
    assertEquals("ok", results.getJsonObject("good").getString("status"));
    JsonObject bad = results.getJsonObject("bad");
    assertEquals("error", bad.getString("status"));
    assertEquals(500, bad.getInteger("httpStatus"));
    assertEquals("http", bad.getJsonObject("error").getString("kind"));
  }

  @Test
  void aFailedOptionalSourceStillGives200ButNotComplete() {
    HttpResponse<Buffer> res = fixture.fanin().aggregate(definition(
        source("good", fixture.upstream().url("")),
        source("extra", fixture.upstream().url("status=404")).put("optional", true)));
    assertEquals(200, res.statusCode());
    assertFalse(res.bodyAsJsonObject().getBoolean("complete"));
  }

  @Test
  void onlyTimeoutsGive504() {
    HttpResponse<Buffer> res = fixture.fanin().aggregate(definition(
        source("good", fixture.upstream().url("")),
        source("slow", fixture.upstream().url("delay=2000")).put("timeoutMs", 100)));
    assertEquals(504, res.statusCode());
    assertEquals("timeout", res.bodyAsJsonObject().getJsonObject("results")
        .getJsonObject("slow").getJsonObject("error").getString("kind"));
  }

  @Test
  void retriesRecoverFromServiceUnavailable() {
    String key = UUID.randomUUID().toString();
    JsonObject result = only(fixture.fanin().aggregate(definition(
        source("s", fixture.upstream().url("status=503&failFirst=2&key=" + key)).put("retries", 2))));
    assertEquals("ok", result.getString("status"));
    assertEquals(3, result.getInteger("attempts"));
    assertEquals(3, fixture.upstream().count(key));
  }

  @Test
  void retriesStopAtTheConfiguredCount() {
    String key = UUID.randomUUID().toString();
    JsonObject result = only(fixture.fanin().aggregate(definition(
        source("s", fixture.upstream().url("status=502&failFirst=10&key=" + key)).put("retries", 2))));
    assertEquals(502, result.getInteger("httpStatus"));
    assertEquals(3, result.getInteger("attempts"));
  }

  @Test
  void nonRetryableStatusesAndMethodsAreNotRetried() {
    String k1 = UUID.randomUUID().toString();
    String k2 = UUID.randomUUID().toString();
    fixture.fanin().aggregate(definition(
        source("a", fixture.upstream().url("status=500&failFirst=5&key=" + k1)).put("retries", 3),
        source("b", fixture.upstream().url("status=503&failFirst=5&key=" + k2)).put("retries", 3)
            .put("method", "POST").put("body", new JsonObject().put("x", 1))));
    assertEquals(1, fixture.upstream().count(k1), "500 is not retried");
    assertEquals(1, fixture.upstream().count(k2), "POST is not retried");
  }

  @Test
  void retryAfterIsHonouredWhenItFitsTheDeadline() {
    String key = UUID.randomUUID().toString();
    JsonObject result = only(fixture.fanin().aggregate(definition(
        source("s", fixture.upstream(1).url("status=429&retryAfter=1&failFirst=1&key=" + key)).put("retries", 1))
        .put("deadlineMs", 3000)));
    assertEquals("ok", result.getString("status"));
    assertEquals(2, result.getInteger("attempts"));
    assertTrue(result.getLong("latencyMs") >= 1000, "waited " + result.getLong("latencyMs"));
  }

  @Test
  void retryAfterBeyondTheDeadlineFailsAtOnce() {
    String key = UUID.randomUUID().toString();
    JsonObject result = only(fixture.fanin().aggregate(definition(
        source("s", fixture.upstream(2).url("status=503&retryAfter=10&failFirst=1&key=" + key)).put("retries", 3))
        .put("deadlineMs", 2000)));
    assertEquals("error", result.getString("status"));
    assertEquals(503, result.getInteger("httpStatus"));
    assertEquals(1, result.getInteger("attempts"));
    // at once: well before the 2 s deadline it would otherwise wait for
    assertTrue(result.getLong("latencyMs") < 1_500, "failed after " + result.getLong("latencyMs"));
    assertTrue(result.getJsonObject("error").getString("message").contains("Retry-After"));
  }

  @Test
  void connectErrorsAreRetriedAndReported() {
    int closed = FaninHarness.freePort();
    JsonObject result = only(fixture.fanin().aggregate(definition(
        source("s", "http://127.0.0.1:" + closed + "/").put("retries", 2))));
    assertEquals("connect", result.getJsonObject("error").getString("kind"));
    assertEquals(3, result.getInteger("attempts"));
  }

  @Test
  void theDeadlineEndsSourcesAsTimeoutsAndClosesTheirConnections() throws Exception {
    HttpResponse<Buffer> res = fixture.fanin().aggregate(definition(
        source("fast", fixture.upstream().url("")),
        source("stuck", fixture.upstream().url("hang=1")).put("timeoutMs", 10_000))
        .put("deadlineMs", 300));
    assertEquals(504, res.statusCode());
    JsonObject body = res.bodyAsJsonObject();
    // the 300 ms deadline, not the stuck source's 10 s timeout
    assertTrue(body.getLong("durationMs") < 3_000, "took " + body.getLong("durationMs") + " ms");
    JsonObject stuck = body.getJsonObject("results").getJsonObject("stuck");
    assertEquals("timeout", stuck.getJsonObject("error").getString("kind"));
    assertTrue(stuck.getJsonObject("error").getString("message").contains("deadline"));
    assertTrue(eventually(2000, () -> fixture.upstream().connectionsClosed.get() >= 1 && fixture.upstream().inFlight.get() == 0),
        "the upstream never saw the connection close");
  }

  @Test
  void aBodyOverTheLimitEndsTooLargeAndResetsTheRequest() {
    HttpResponse<Buffer> res = fixture.fanin().aggregate(definition(
        source("declared", fixture.upstream().url("size=5000")),
        source("chunked", fixture.upstream().url("size=5000&chunked=1")),
        source("small", fixture.upstream().url("size=500"))));
    JsonObject results = res.bodyAsJsonObject().getJsonObject("results");
    assertEquals("too_large", results.getJsonObject("declared").getJsonObject("error").getString("kind"));
    assertEquals("too_large", results.getJsonObject("chunked").getJsonObject("error").getString("kind"));
    assertEquals("ok", results.getJsonObject("small").getString("status"));
    // the 200 arrived before the body was refused, and the results say so
    assertEquals(200, results.getJsonObject("declared").getInteger("httpStatus"));
    assertEquals(200, results.getJsonObject("chunked").getInteger("httpStatus"));
  }

  @Test
  void aTricklingBodyIsBoundedByTimeoutMs() {
    JsonObject result = only(fixture.fanin().aggregate(definition(
        source("s", fixture.upstream().url("trickle=100&chunks=30")).put("timeoutMs", 500))));
    assertEquals("timeout", result.getJsonObject("error").getString("kind"));
    assertEquals(200, result.getInteger("httpStatus"));
    // cut near its 500 ms timeout, well before the 3 s the body takes to trickle in
    assertTrue(result.getLong("latencyMs") < 2_500, "took " + result.getLong("latencyMs"));
  }

  @Test
  void aConnectionResetMidBodyIsAConnectError() {
    JsonObject result = only(fixture.fanin().aggregate(definition(source("s", fixture.upstream().url("size=800&reset=1")))));
    assertEquals("connect", result.getJsonObject("error").getString("kind"));
    assertEquals(200, result.getInteger("httpStatus"));
  }

  @Test
  void malformedJsonFromUpstreamIsInvalidBody() {
    JsonObject result = only(fixture.fanin().aggregate(definition(
        source("s", fixture.upstream().url("body=%7B%22a%22%3A")))));
    assertEquals("invalid_body", result.getJsonObject("error").getString("kind"));
    assertEquals(200, result.getInteger("httpStatus"));
  }

  static JsonObject only(HttpResponse<Buffer> res) {
    JsonObject results = res.bodyAsJsonObject().getJsonObject("results");
    return results.getJsonObject(results.fieldNames().iterator().next());
  }

}
