package dev.fanin.http;

import static dev.fanin.testing.Eventually.eventually;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninExtension;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Completion policies through the whole service: "any" and "first" answer as soon as they are met
 * (or can no longer be), the sources still running end cancelled and their requests reach the
 * upstream as a disconnect, optional sources never count, streams end with the summary at once.
 */
class CompletionPolicyTest {
  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withConfig(new JsonObject()
      .put("breaker", new JsonObject().put("maxFailures", 1000)));

  /** A URL of the fake upstream on a path of its own (its requests in flight can be watched). */
  static String at(String path, String query) {
    return "http://127.0.0.1:" + fixture.upstream().port() + "/" + path + "?" + query;
  }

  static String unique(String name) {
    return name + "-" + UUID.randomUUID();
  }

  static JsonObject definition(JsonObject complete, JsonObject... sources) {
    JsonArray list = new JsonArray();
    for (JsonObject s : sources) {
      list.add(s);
    }
    return new JsonObject().put("sources", list).put("complete", complete).put("deadlineMs", 20_000);
  }

  static JsonObject any(int count) {
    return new JsonObject().put("when", "any").put("count", count);
  }

  static String kind(JsonObject result) {
    return result.getString("status").equals("ok") ? "ok" : result.getJsonObject("error").getString("kind");
  }

  @Test
  void anyTwoOfThreeAnswersOnceTwoAreOkAndTheThirdsRequestIsReset() {
    String hanging = unique("hang");
    long t0 = System.nanoTime();
    HttpResponse<Buffer> res = fixture.fanin().aggregate(definition(any(2),
        source("fast", at(unique("fast"), "delay=20")), source("soon", at(unique("soon"), "delay=100")),
        source("stuck", at(hanging, "hang=1"))));
    long tookMs = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(200, res.statusCode(), res.bodyAsString());
    assertTrue(tookMs < 5_000, "answered as soon as two were ok, not at the deadline: " + tookMs + " ms");
    JsonObject results = res.bodyAsJsonObject().getJsonObject("results");
    assertEquals("ok", kind(results.getJsonObject("fast")));
    assertEquals("ok", kind(results.getJsonObject("soon")));
    JsonObject stuck = results.getJsonObject("stuck");
    assertEquals("cancelled", kind(stuck));
    assertTrue(stuck.getJsonObject("error").getString("message").contains("completion policy (any 2) was met"),
        stuck.encode());
    assertTrue(eventually(5_000, () -> fixture.upstream().path("/" + hanging).inFlight.get() == 0),
        "the upstream saw the cancelled request's connection close");
    assertEquals(1, fixture.upstream().path("/" + hanging).requests.get());
  }

  @Test
  void firstAnswersWithTheFirstOkAndSkipsFailuresBeforeIt() {
    HttpResponse<Buffer> res = fixture.fanin().aggregate(definition(new JsonObject().put("when", "first"),
        source("broken", at(unique("broken"), "status=500")).put("retries", 0),
        source("ok", at(unique("ok"), "delay=150")), source("slow", at(unique("slow"), "hang=1"))));
    assertEquals(200, res.statusCode(), res.bodyAsString());
    JsonObject results = res.bodyAsJsonObject().getJsonObject("results");
    assertEquals("http", kind(results.getJsonObject("broken")));
    assertEquals("ok", kind(results.getJsonObject("ok")));
    assertEquals("cancelled", kind(results.getJsonObject("slow")));
    assertEquals(false, res.bodyAsJsonObject().getBoolean("complete"));
  }

  @Test
  void aPolicyThatCanNoLongerBeMetAnswers502AtOnce() {
    long t0 = System.nanoTime();
    HttpResponse<Buffer> res = fixture.fanin().aggregate(definition(any(2),
        source("a", at(unique("a"), "status=500")).put("retries", 0),
        source("b", at(unique("b"), "status=503")).put("retries", 0),
        source("c", at(unique("c"), "hang=1"))));
    assertEquals(502, res.statusCode(), res.bodyAsString());
    assertTrue((System.nanoTime() - t0) / 1_000_000 < 5_000, "did not wait for the hanging source");
    JsonObject c = res.bodyAsJsonObject().getJsonObject("results").getJsonObject("c");
    assertEquals("cancelled", kind(c));
    assertTrue(c.getJsonObject("error").getString("message").contains("can no longer be met: 2 of 3"), c.encode());
  }

  @Test
  void onlyTimeoutsThatMakeItUnmetGive504() {
    HttpResponse<Buffer> res = fixture.fanin().aggregate(definition(any(1),
        source("a", at(unique("a"), "delay=3000")).put("timeoutMs", 200).put("retries", 0),
        source("b", at(unique("b"), "delay=3000")).put("timeoutMs", 200).put("retries", 0)));
    assertEquals(504, res.statusCode(), res.bodyAsString());
  }

  @Test
  void optionalSourcesNeverCountTowardsThePolicy() {
    HttpResponse<Buffer> res = fixture.fanin().aggregate(definition(new JsonObject().put("when", "first"),
        source("extra", at(unique("extra"), "delay=1")).put("optional", true),
        source("main", at(unique("main"), "delay=300"))));
    assertEquals(200, res.statusCode());
    JsonObject results = res.bodyAsJsonObject().getJsonObject("results");
    assertEquals("ok", kind(results.getJsonObject("extra")));
    assertEquals("ok", kind(results.getJsonObject("main")), "the optional source's answer did not end it");
  }

  @Test
  void aStreamEndsWithTheSummaryOnceThePolicyIsMet() {
    JsonObject def = definition(any(1), source("fast", at(unique("fast"), "delay=20")),
        source("stuck", at(unique("stuck"), "hang=1")));
    long t0 = System.nanoTime();
    String body = fixture.fanin().post("/v1/aggregate", "application/json", "application/x-ndjson", def.toBuffer())
        .bodyAsString();
    assertTrue((System.nanoTime() - t0) / 1_000_000 < 5_000, "the stream ended once the policy was met");
    List<String> types = new ArrayList<>();
    for (String line : body.split("\n")) {
      JsonObject o = new JsonObject(line);
      types.add(o.getString("type") + (o.getString("type").equals("result") ? ":" + kind(o) : ""));
    }
    assertEquals(List.of("result:ok", "result:cancelled", "summary"), types);
  }
}
