package dev.fanin.feeds;

import static dev.fanin.feeds.FeedRegistryHttpTest.delete;
import static dev.fanin.testing.Eventually.eventually;
import static dev.fanin.feeds.FeedRegistryHttpTest.get;
import static dev.fanin.feeds.FeedRegistryHttpTest.problem;
import static dev.fanin.feeds.FeedRegistryHttpTest.put;
import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FakeUpstream;
import dev.fanin.testing.FakeUpstream.PathCounters;
import dev.fanin.testing.FakeUpstream.Recorded;
import dev.fanin.testing.FaninHarness;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Scheduled feeds: background runs, their pace, SSE and event-bus delivery, restarts. */
class FeedScheduleTest {
  static Vertx vertx;
  static FakeUpstream upstream;
  static FaninHarness fanin;
  static JsonObject config = new JsonObject().put("feeds", new JsonObject().put("minScheduleMs", 50));

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    upstream = new FakeUpstream(vertx).start();
    fanin = new FaninHarness(vertx, config);
  }

  @AfterAll
  static void stop() {
    fanin.stop();
    upstream.stop();
    vertx.close().await();
  }

  static String url(String path) {
    return "http://127.0.0.1:" + upstream.port() + path;
  }

  static JsonObject scheduled(String url, long everyMs) {
    return definition(source("a", url)).put("schedule", new JsonObject().put("everyMs", everyMs));
  }

  static void putOk(FaninHarness f, String name, JsonObject feed) {
    HttpResponse<Buffer> res = put(f, name, feed, null);
    assertTrue(res.statusCode() == 200 || res.statusCode() == 201, res.statusCode() + " " + res.bodyAsString());
  }

  static PathCounters at(String path) {
    return upstream.path(path);
  }

  /** Waits until nothing is in flight on the path, then returns its request count. */
  static int settled(String path) {
    assertTrue(eventually(3000, () -> at(path).inFlight.get() == 0), "a request to " + path + " is still running");
    return at(path).requests.get();
  }

  static void sleep(long ms) throws InterruptedException {
    Thread.sleep(ms);
  }

  @Test
  void eachRunIsPublishedOnTheBusAndKeptAsTheLatest() {
    List<JsonObject> runs = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> consumer = fanin.vertx.eventBus().consumer("fanin.feed.published", m -> runs.add(m.body()));
    consumer.completion().await();
    try {
      putOk(fanin, "published", scheduled(url("/sched/published"), 100));
      assertTrue(eventually(5000, () -> runs.size() >= 3), "runs published: " + runs.size());
      Instant previous = Instant.EPOCH;
      for (JsonObject run : runs.subList(0, 3)) {
        assertEquals("published", run.getString("feed"));
        Instant at = Instant.parse(run.getString("runAt"));
        assertTrue(at.isAfter(previous), runs.toString());
        previous = at;
        assertEquals(true, run.getBoolean("complete"));
        assertTrue(run.containsKey("durationMs"));
        assertEquals("/sched/published", run.getJsonObject("results").getJsonObject("a").getJsonObject("data").getString("path"));
      }
      JsonObject latest = fanin.vertx.eventBus().<JsonObject>request("fanin.feeds.latest",
          new JsonObject().put("name", "published")).await().body();
      assertEquals("published", latest.getString("feed"));
      assertTrue(runs.contains(latest), latest.encode());
    } finally {
      consumer.unregister().await();
      delete(fanin, "published", null);
    }
  }

  @Test
  void theFirstRunComesRightAfterCreation() {
    putOk(fanin, "first", scheduled(url("/sched/first"), 3_600_000));
    try {
      assertTrue(eventually(3000, () -> at("/sched/first").requests.get() == 1), "no first run");
    } finally {
      delete(fanin, "first", null);
    }
  }

  @Test
  void runsOfOneFeedNeverOverlap() throws Exception {
    String path = "/sched/overlap";
    putOk(fanin, "overlap", scheduled(url(path + "?delay=300"), 50));
    try {
      assertTrue(eventually(5000, () -> at(path).requests.get() >= 4), "runs: " + at(path).requests.get());
      assertEquals(1, at(path).maxInFlight.get(), "two runs of one feed were in flight at once");
    } finally {
      delete(fanin, "overlap", null);
    }
  }

  @Test
  void theNextRunStartsEveryMsAfterTheEndOfThePrevious() {
    String path = "/sched/pace";
    putOk(fanin, "pace", scheduled(url(path + "?delay=200"), 300));
    try {
      assertTrue(eventually(5000, () -> upstream.recorded(path).size() >= 3), "runs: " + upstream.recorded(path).size());
      List<Recorded> seen = upstream.recorded(path);
      for (int i = 1; i < 3; i++) {
        long gap = seen.get(i).atMs() - seen.get(i - 1).atMs();
        // 200 ms answer + 300 ms pause; timed from the start it would be 300 ms
        assertTrue(gap >= 480, "run " + i + " started " + gap + " ms after the previous one");
      }
    } finally {
      delete(fanin, "pace", null);
    }
  }

  @Test
  void aSlowFeedDelaysOnlyItself() throws Exception {
    putOk(fanin, "slowpoke", scheduled(url("/sched/slowpoke?delay=1500"), 50));
    putOk(fanin, "sprinter", scheduled(url("/sched/sprinter"), 50));
    try {
      assertTrue(eventually(3000, () -> at("/sched/slowpoke").inFlight.get() == 1));
      int before = at("/sched/sprinter").requests.get();
      sleep(1000);
      int during = at("/sched/sprinter").requests.get() - before;
      // at 50 ms after each ~1 ms run that is up to 20; a feed waiting on the slow one would get 0 or 1
      assertTrue(during >= 6, "the fast feed ran " + during + " times in 1 s next to a slow one");
      assertEquals(1, at("/sched/slowpoke").requests.get());
    } finally {
      delete(fanin, "slowpoke", null);
      delete(fanin, "sprinter", null);
    }
  }

  @Test
  void deletingAFeedStopsItsSchedule() throws Exception {
    String path = "/sched/deleted";
    putOk(fanin, "deleted", scheduled(url(path), 50));
    assertTrue(eventually(3000, () -> at(path).requests.get() >= 2));
    assertEquals(204, delete(fanin, "deleted", null).statusCode());
    int after = settled(path);
    sleep(500);
    assertEquals(after, at(path).requests.get(), "a deleted feed was still polled");
    Throwable latest = fanin.vertx.eventBus().request("fanin.feeds.latest", new JsonObject().put("name", "deleted"))
        .map(m -> (Throwable) null).otherwise(t -> t).await();
    assertTrue(latest instanceof ReplyException re && re.failureCode() == 404, String.valueOf(latest));
  }

  @Test
  void replacingAFeedReschedulesIt() throws Exception {
    putOk(fanin, "moving", scheduled(url("/sched/moving-old"), 50));
    try {
      assertTrue(eventually(3000, () -> at("/sched/moving-old").requests.get() >= 2));
      putOk(fanin, "moving", scheduled(url("/sched/moving-new"), 50));
      assertTrue(eventually(3000, () -> at("/sched/moving-new").requests.get() >= 3), "the new URL is not polled");
      int old = settled("/sched/moving-old");
      sleep(400);
      assertEquals(old, at("/sched/moving-old").requests.get(), "the old definition is still polled");

      // a schedule taken away stops the runs; the feed stays
      putOk(fanin, "moving", definition(source("a", url("/sched/moving-new"))));
      int last = settled("/sched/moving-new");
      sleep(400);
      assertEquals(last, at("/sched/moving-new").requests.get(), "an unscheduled feed is still polled");
      assertEquals(200, get(fanin, "/v1/feeds/moving").statusCode());
    } finally {
      delete(fanin, "moving", null);
    }
  }

  @Test
  void replacingAFeedDuringARunDoesNotOverlapTheRuns() throws Exception {
    String path = "/sched/replaced";
    putOk(fanin, "replaced", scheduled(url(path + "?delay=500"), 50));
    try {
      assertTrue(eventually(3000, () -> at(path).inFlight.get() == 1));
      putOk(fanin, "replaced", scheduled(url(path + "?delay=500"), 60));
      assertTrue(eventually(3000, () -> at(path).requests.get() >= 3), "runs: " + at(path).requests.get());
      assertEquals(1, at(path).maxInFlight.get(), "the new schedule ran while the old run was still in flight");
    } finally {
      delete(fanin, "replaced", null);
    }
  }

  @Test
  void schedulesSurviveARestart() throws Exception {
    // an own Vert.x, so that this restart does not disturb the other tests' registry
    Vertx own = Vertx.vertx();
    JsonObject cfg = config.copy();
    cfg.getJsonObject("feeds").put("dataDir", FeedRegistryHttpTest.tempDir("fanin-sched-restart").toString());
    FaninHarness first = new FaninHarness(own, cfg);
    String path = "/sched/restart";
    putOk(first, "restart", scheduled(url(path), 50));
    assertTrue(eventually(3000, () -> at(path).requests.get() >= 2));
    first.stop();
    int stopped = settled(path);
    sleep(300);
    assertEquals(stopped, at(path).requests.get(), "a stopped service kept polling");

    FaninHarness second = new FaninHarness(own, cfg);
    try {
      assertTrue(eventually(3000, () -> at(path).requests.get() >= stopped + 2), "the schedule did not resume");
      assertEquals(200, get(second, "/v1/feeds/restart").statusCode());
    } finally {
      second.stop();
      own.close().await();
    }
  }

  // ---- Server-Sent Events ----

  /**
   * An open SSE stream: its response, the events received so far as {name, data, id}, and whether
   * the server ended the stream.
   */
  record Sse(HttpClient client, HttpClientResponse response, List<String[]> events,
      java.util.concurrent.atomic.AtomicBoolean ended) implements AutoCloseable {
    static Sse open(String path) {
      return open(path, null);
    }

    static Sse open(String path, String lastEventId) {
      HttpClient client = vertx.createHttpClient();
      List<String[]> events = new CopyOnWriteArrayList<>();
      java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
      HttpClientResponse response = client.request(HttpMethod.GET, fanin.fanin.port(), "127.0.0.1", path)
          .compose(req -> {
            req.putHeader("Accept", "text/event-stream");
            if (lastEventId != null) {
              req.putHeader("Last-Event-ID", lastEventId);
            }
            return req.send();
          })
          .map(res -> {
            res.handler(RecordParser.newDelimited("\n\n", frame -> {
              String name = null;
              String data = null;
              String id = null;
              for (String line : frame.toString().split("\n")) {
                if (line.startsWith("event: ")) {
                  name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                  data = line.substring(6);
                } else if (line.startsWith("id: ")) {
                  id = line.substring(4);
                }
              }
              if (name != null) {
                events.add(new String[] {name, data, id});
              }
            }));
            res.endHandler(v -> ended.set(true));
            return res;
          }).await();
      return new Sse(client, response, events, ended);
    }

    List<String> ids() {
      return events.stream().map(e -> e[2]).toList();
    }

    @Override
    public void close() {
      client.close().await();
    }
  }

  @Test
  void aNewSubscriberGetsTheLatestRunAtOnce() throws Exception {
    putOk(fanin, "once", scheduled(url("/sched/once"), 3_600_000));
    try {
      JsonObject latest = null;
      long end = System.currentTimeMillis() + 3000;
      while (latest == null && System.currentTimeMillis() < end) {
        latest = fanin.vertx.eventBus().<JsonObject>request("fanin.feeds.latest", new JsonObject().put("name", "once"))
            .map(m -> m.body()).otherwiseEmpty().await();
        if (latest == null) {
          sleep(20);
        }
      }
      assertTrue(latest != null, "no run within 3 s");
      try (Sse sse = Sse.open("/v1/feeds/once/events")) {
        assertEquals(200, sse.response().statusCode());
        assertTrue(sse.response().getHeader("Content-Type").startsWith("text/event-stream"));
        assertEquals("no-cache", sse.response().getHeader("Cache-Control"));
        // the next run is an hour away: whatever arrives now is the latest run
        assertTrue(eventually(2000, () -> !sse.events().isEmpty()), "the latest run was not sent at once");
        String[] event = sse.events().get(0);
        assertEquals("run", event[0]);
        assertEquals(latest, new JsonObject(event[1]));
        sleep(200);
        assertEquals(1, sse.events().size());
      }
    } finally {
      delete(fanin, "once", null);
    }
  }

  @Test
  void eachNewRunIsPushedToSubscribers() throws Exception {
    putOk(fanin, "pushed", scheduled(url("/sched/pushed"), 100));
    try (Sse sse = Sse.open("/v1/feeds/pushed/events"); Sse other = Sse.open("/v1/feeds/pushed/events")) {
      assertTrue(eventually(5000, () -> sse.events().size() >= 4 && other.events().size() >= 3),
          "events: " + sse.events().size() + ", " + other.events().size());
      Instant previous = Instant.EPOCH;
      for (String[] event : sse.events()) {
        assertEquals("run", event[0]);
        JsonObject run = new JsonObject(event[1]);
        assertEquals("pushed", run.getString("feed"));
        Instant at = Instant.parse(run.getString("runAt"));
        assertTrue(at.isAfter(previous), "runs repeated or out of order");
        previous = at;
      }
    } finally {
      delete(fanin, "pushed", null);
    }
  }

  @Test
  void eventsNeedAScheduledFeed() {
    putOk(fanin, "plain", definition(source("a", url("/sched/plain"))));
    try {
      JsonObject p = problem(get(fanin, "/v1/feeds/plain/events"), 409);
      assertEquals("urn:fanin:problem:not-scheduled", p.getString("type"));
      problem(get(fanin, "/v1/feeds/nothing-here/events"), 404);
    } finally {
      delete(fanin, "plain", null);
    }
  }

  @Test
  void eventsCarryTheirRunsIdAndAReconnectGetsWhatItMissed() throws Exception {
    putOk(fanin, "resumed", scheduled(url("/sched/resumed"), 100));
    try {
      List<String> first;
      try (Sse sse = Sse.open("/v1/feeds/resumed/events")) {
        assertTrue(eventually(5000, () -> sse.events().size() >= 2), "events: " + sse.events().size());
        for (String[] event : sse.events()) {
          assertEquals(new JsonObject(event[1]).getString("runAt"), event[2], "the id is the run's runAt");
        }
        first = sse.ids();
      }
      String seen = first.get(first.size() - 1);
      sleep(350); // runs happen while the client is away
      try (Sse again = Sse.open("/v1/feeds/resumed/events", seen)) {
        assertTrue(eventually(3000, () -> again.events().size() >= 3), "events: " + again.events().size());
        List<String> ids = again.ids();
        assertTrue(!ids.contains(seen) && java.util.Collections.disjoint(ids, first), "replayed a run already seen: " + ids);
        Instant previous = Instant.parse(seen);
        for (String id : ids) {
          Instant at = Instant.parse(id);
          assertTrue(at.isAfter(previous), "out of order or repeated: " + ids);
          previous = at;
        }
        assertTrue(Instant.parse(ids.get(0)).isBefore(Instant.parse(seen).plusMillis(300)),
            "the first replayed run should follow the last one seen, not be the latest: " + seen + " " + ids);
      }
      try (Sse unknown = Sse.open("/v1/feeds/resumed/events", "an-id-long-forgotten")) {
        assertTrue(eventually(3000, () -> !unknown.events().isEmpty()), "no run for an unknown Last-Event-ID");
      }
    } finally {
      delete(fanin, "resumed", null);
    }
  }

  @Test
  void aDeletedFeedEndsItsStreamsWithAnEvent() {
    putOk(fanin, "doomed", scheduled(url("/sched/doomed"), 3_600_000));
    try (Sse sse = Sse.open("/v1/feeds/doomed/events"); Sse other = Sse.open("/v1/feeds/doomed/events")) {
      assertTrue(eventually(3000, () -> !sse.events().isEmpty() && !other.events().isEmpty()), "no first run");
      delete(fanin, "doomed", null);
      assertTrue(eventually(3000, () -> sse.ended().get() && other.ended().get()), "the streams stayed open");
      String[] last = sse.events().get(sse.events().size() - 1);
      assertEquals("deleted", last[0]);
      assertEquals("doomed", new JsonObject(last[1]).getString("feed"));
    }
  }

  @Test
  void aFeedThatLosesItsScheduleEndsItsStreams() {
    putOk(fanin, "paused", scheduled(url("/sched/paused"), 3_600_000));
    try (Sse sse = Sse.open("/v1/feeds/paused/events")) {
      assertTrue(eventually(3000, () -> !sse.events().isEmpty()), "no first run");
      putOk(fanin, "paused", definition(source("a", url("/sched/paused"))));
      assertTrue(eventually(3000, () -> sse.ended().get()), "the stream stayed open");
      assertEquals("unscheduled", sse.events().get(sse.events().size() - 1)[0]);
    } finally {
      delete(fanin, "paused", null);
    }
  }
}
