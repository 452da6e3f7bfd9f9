package dev.fanin.http;

import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninExtension;
import dev.fanin.testing.FaninHarness;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every result's timings, through the whole service: where a slow answer's time went, a retry and
 * its backoff, the waits for a concurrency slot and for a paced origin, a source that never got to
 * send, a cache hit and a coalesced request, and the same timings in every format. Bounds are loose
 * (the machine may be busy): lower bounds come from known delays.
 */
class SourceTimingsTest {
  /**
   * upstream(0): plain; upstream(1): retried with Retry-After (its origin gets paused); upstream(2):
   * paced; upstream(3): one request in flight at a time.
   */
  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withoutFanin().upstreams(4);
  static FaninHarness fanin;

  @BeforeAll
  static void start() {
    JsonObject paced = new JsonObject().put("match", "127.0.0.1:" + fixture.upstream(2).port())
        .put("ratePerSecond", 2).put("burst", 1);
    JsonObject narrow = new JsonObject().put("match", "127.0.0.1:" + fixture.upstream(3).port())
        .put("maxConcurrency", 1);
    fanin = fixture.startFanin(new JsonObject().put("upstream",
        new JsonObject().put("origins", new JsonArray().add(paced).add(narrow))));
    fanin.aggregate(definition(source("warm", fixture.upstream().url("warm=1")))); // JIT, connection
  }

  static String url(int upstream, String query) {
    return fixture.upstream(upstream).url(query + "&u=" + UUID.randomUUID());
  }

  static JsonObject results(JsonObject definition) {
    HttpResponse<Buffer> res = fanin.aggregate(definition);
    return res.bodyAsJsonObject().getJsonObject("results");
  }

  static JsonObject only(JsonObject definition) {
    JsonObject results = results(definition);
    return results.getJsonObject(results.fieldNames().iterator().next());
  }

  static JsonArray attempts(JsonObject result) {
    return result.getJsonObject("timings").getJsonArray("attempts");
  }

  static double waits(JsonObject attempt) {
    JsonObject w = attempt.getJsonObject("waitMs");
    return w.getDouble("slot") + w.getDouble("budget") + w.getDouble("origin") + w.getDouble("pool");
  }

  /** Everything after the waits: connecting, the head, the body, the backoff. */
  static double afterWaits(JsonObject attempt) {
    return attempt.getDouble("connectMs") + attempt.getDouble("headMs") + attempt.getDouble("bodyMs")
        + attempt.getDouble("backoffAfterMs");
  }

  @Test
  void aSlowAnswersTimeIsItsHeadAndThePhasesAddUpToItsLatency() {
    JsonObject r = only(definition(source("slow", url(0, "delay=200"))));
    assertEquals("ok", r.getString("status"));
    JsonObject timings = r.getJsonObject("timings");
    assertEquals("upstream", timings.getString("from"));
    JsonArray attempts = timings.getJsonArray("attempts");
    assertEquals(1, attempts.size());
    JsonObject a = attempts.getJsonObject(0);
    assertEquals(true, a.getBoolean("sent"));
    assertTrue(a.getDouble("headMs") >= 195, "head " + a);
    assertTrue(a.getDouble("headMs") < 2_000, "head " + a);
    long latency = r.getLong("latencyMs");
    double sent = afterWaits(a);
    // latencyMs runs from the sending of the first attempt to the result; the phases from connecting on
    assertTrue(sent <= latency + 1 && latency <= sent + 25, "phases " + sent + " against latencyMs " + latency + ": " + a);
    double sentAt = a.getDouble("startMs") + waits(a);
    assertTrue(Math.abs(sentAt - r.getLong("startMs")) <= 2, "startMs " + r.getLong("startMs") + " against " + a);
  }

  @Test
  void aRequestOnAKeptAliveConnectionSpendsNoTimeConnecting() {
    only(definition(source("first", url(0, "delay=1"))));
    JsonObject a = attempts(only(definition(source("again", url(0, "delay=1"))))).getJsonObject(0);
    assertEquals(0, a.getDouble("connectMs"), "the connection of the request before was reused: " + a);
  }

  @Test
  void aRetriedSourceShowsTwoAttemptsWithTheBackoffBetweenThem() {
    JsonObject src = source("flaky", url(1, "status=503&failFirst=1&retryAfter=1&key=" + UUID.randomUUID()))
        .put("retries", 1);
    JsonObject r = only(definition(src).put("deadlineMs", 10_000));
    assertEquals("ok", r.getString("status"), r.encode());
    assertEquals(2, r.getInteger("attempts"));
    JsonArray attempts = attempts(r);
    assertEquals(2, attempts.size(), attempts.encode());
    JsonObject first = attempts.getJsonObject(0);
    JsonObject second = attempts.getJsonObject(1);
    assertTrue(first.getBoolean("sent") && second.getBoolean("sent"));
    double backoff = first.getDouble("backoffAfterMs");
    assertTrue(backoff >= 999 && backoff < 3_000, "the 503's Retry-After of 1 s was waited: " + first);
    assertEquals(0, second.getDouble("backoffAfterMs"));
    double firstEnds = first.getDouble("startMs") + waits(first) + afterWaits(first);
    assertTrue(second.getDouble("startMs") >= firstEnds - 1 && second.getDouble("startMs") <= firstEnds + 50,
        "the second attempt began when the backoff ended: " + attempts.encode());
    long latency = r.getLong("latencyMs");
    double phases = afterWaits(first) + waits(second) + afterWaits(second);
    assertTrue(phases <= latency + 1 && latency <= phases + 50, "phases " + phases + " against latencyMs " + latency);
  }

  @Test
  void aSourceBehindItsAggregationsConcurrencyShowsItsWaitForASlot() {
    JsonObject results = results(definition(source("a", url(0, "delay=200")), source("b", url(0, "delay=200")))
        .put("concurrency", 1));
    JsonObject first = attempts(results.getJsonObject("a")).getJsonObject(0);
    JsonObject second = attempts(results.getJsonObject("b")).getJsonObject(0);
    assertTrue(first.getJsonObject("waitMs").getDouble("slot") < 50, "a went at once: " + first);
    double slot = second.getJsonObject("waitMs").getDouble("slot");
    assertTrue(slot >= 190 && slot < 2_000, "b waited for a's slot: " + second);
    assertTrue(second.getDouble("startMs") < 50, "b's attempt began, waiting, at the start: " + second);
    assertTrue(results.getJsonObject("b").getLong("startMs") >= 190, "and was sent after a");
  }

  @Test
  void sourcesOfAPacedOriginShowTheirWaitForItsTurn() {
    // the rule allows 2 requests a second with a burst of 1: one now, one after 500 ms, one after 1 s
    JsonObject results = results(definition(source("p0", url(2, "p=0")), source("p1", url(2, "p=1")),
        source("p2", url(2, "p=2"))).put("deadlineMs", 10_000));
    List<Double> waits = new ArrayList<>();
    for (String id : results.fieldNames()) {
      assertEquals("ok", results.getJsonObject(id).getString("status"), results.encode());
      waits.add(attempts(results.getJsonObject(id)).getJsonObject(0).getJsonObject("waitMs").getDouble("origin"));
    }
    waits.sort(Double::compare);
    assertTrue(waits.get(1) >= 400 && waits.get(2) >= 850 && waits.get(2) < 5_000, "origin waits " + waits);
  }

  @Test
  void aSourceWaitingForItsOriginsConnectionShowsThatWaitNotAConnect() {
    // the origin allows one request in flight: the second source waits in fanin's origin queue
    JsonObject results = results(definition(source("a", url(3, "delay=300")), source("b", url(3, "delay=300")))
        .put("deadlineMs", 10_000));
    List<Double> waits = new ArrayList<>();
    for (String id : results.fieldNames()) {
      JsonObject r = results.getJsonObject(id);
      assertEquals("ok", r.getString("status"), results.encode());
      JsonObject a = attempts(r).getJsonObject(0);
      waits.add(a.getJsonObject("waitMs").getDouble("origin"));
      assertTrue(a.getDouble("connectMs") < 250, "the wait is not counted as connecting: " + a);
    }
    waits.sort(Double::compare);
    assertTrue(waits.get(0) < 100 && waits.get(1) >= 280 && waits.get(1) < 5_000, "origin waits " + waits);
  }

  @Test
  void aSourceThatNeverGotToSendStillShowsItsWait() {
    JsonObject results = results(definition(source("a", url(0, "delay=1000")), source("b", url(0, "delay=1000")))
        .put("concurrency", 1).put("deadlineMs", 300));
    JsonObject b = results.getJsonObject("b");
    assertEquals("timeout", b.getJsonObject("error").getString("kind"));
    assertEquals(0, b.getInteger("attempts"));
    JsonArray attempts = attempts(b);
    assertEquals(1, attempts.size(), attempts.encode());
    JsonObject a = attempts.getJsonObject(0);
    assertEquals(false, a.getBoolean("sent"));
    assertTrue(a.getJsonObject("waitMs").getDouble("slot") >= 290, "it waited for a slot until the deadline: " + a);
    assertEquals(0, afterWaits(a));
    JsonObject cut = attempts(results.getJsonObject("a")).getJsonObject(0);
    assertTrue(cut.getDouble("headMs") >= 290, "the other one's head was awaited until the deadline: " + cut);
  }

  @Test
  void aCacheHitMakesNoAttemptAndSaysItCameFromTheCache() {
    String u = url(0, "cc=max-age%3D60");
    JsonObject miss = only(definition(source("s", u)));
    assertEquals("upstream", miss.getJsonObject("timings").getString("from"));
    assertEquals(1, attempts(miss).size());
    JsonObject hit = only(definition(source("s", u)));
    assertEquals("hit", hit.getString("cache"));
    assertEquals(new JsonObject().put("from", "cache").put("attempts", new JsonArray()), hit.getJsonObject("timings"));
  }

  @Test
  void aCoalescedRequestMakesNoAttemptAndSaysWhoseOutcomeItIsEvenASharedFailure() {
    String u = url(0, "delay=300");
    JsonObject results = results(definition(source("leader", u), source("follower", u)));
    Map<String, Integer> byFrom = new HashMap<>();
    for (String id : results.fieldNames()) {
      JsonObject r = results.getJsonObject(id);
      String from = r.getJsonObject("timings").getString("from");
      byFrom.put(from, attempts(r).size());
      if (from.equals("coalesced")) {
        assertEquals("coalesced", r.getString("cache"));
        assertTrue(r.getLong("latencyMs") >= 290, "a follower's latency is its wait for the other request");
      }
    }
    assertEquals(Map.of("upstream", 1, "coalesced", 0), byFrom, results.encode());

    // a shared failure carries no answer, so no "cache": "coalesced"; the timings still tell
    String hanging = url(0, "hang=1");
    JsonObject failed = results(definition(source("leader", hanging).put("timeoutMs", 300),
        source("follower", hanging).put("timeoutMs", 300)));
    List<String> froms = new ArrayList<>();
    for (String id : failed.fieldNames()) {
      JsonObject r = failed.getJsonObject(id);
      assertEquals("timeout", r.getJsonObject("error").getString("kind"));
      froms.add(r.getJsonObject("timings").getString("from") + ":" + attempts(r).size() + ":" + r.getString("cache"));
    }
    froms.sort(String::compareTo);
    assertEquals(List.of("coalesced:0:miss", "upstream:1:miss"), froms);
  }

  @Test
  void theJsonDocumentTheNdjsonLinesAndTheSseEventsCarryTheSameTimings() {
    String cached = url(0, "cc=max-age%3D60");
    only(definition(source("c", cached)));
    JsonObject def = definition(source("c", cached), source("slow", url(0, "delay=200")));
    JsonObject document = fanin.post("/v1/aggregate", "application/json", "application/json", def.toBuffer())
        .bodyAsJsonObject().getJsonObject("results");
    Map<String, JsonObject> lines = new HashMap<>();
    for (String line : fanin.post("/v1/aggregate", "application/json", "application/x-ndjson", def.toBuffer())
        .bodyAsString().split("\n")) {
      JsonObject o = new JsonObject(line);
      if (o.getString("type").equals("result")) {
        lines.put(o.getString("id"), o);
      }
    }
    Map<String, JsonObject> events = new HashMap<>();
    for (String line : fanin.post("/v1/aggregate", "application/json", "text/event-stream", def.toBuffer())
        .bodyAsString().split("\n")) {
      if (line.startsWith("data: ")) {
        JsonObject o = new JsonObject(line.substring("data: ".length()));
        if (o.getString("type").equals("result")) {
          events.put(o.getString("id"), o);
        }
      }
    }
    for (Map<String, JsonObject> stream : List.of(lines, events)) {
      assertEquals(document.getJsonObject("c").getJsonObject("timings"), stream.get("c").getJsonObject("timings"),
          "a cache hit's timings are the same in every format");
    }
    for (JsonObject slow : List.of(document.getJsonObject("slow"), lines.get("slow"), events.get("slow"))) {
      JsonObject a = attempts(slow).getJsonObject(0);
      assertEquals(attempts(document.getJsonObject("slow")).getJsonObject(0).fieldNames(), a.fieldNames());
      assertTrue(a.getDouble("headMs") >= 195, a.encode());
    }
  }
}
