package dev.fanin.feeds;

import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FakeUpstream;
import dev.fanin.testing.FaninHarness;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The event-bus API as another verticle sees it: only JsonObject bodies and address strings, failures
 * as ReplyExceptions carrying the HTTP status and the problem detail.
 */
class FeedBusTest {
  static Vertx vertx;
  static FakeUpstream upstream;
  static FaninHarness fanin;
  static EventBus bus;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new FakeUpstream(vertx).start();
    Path conf = Files.createTempDirectory("fanin-bus-conf");
    Files.writeString(conf.resolve("fixed.json"), definition(source("a", "http://127.0.0.1:9/x")).encode());
    fanin = new FaninHarness(vertx, new JsonObject().put("feeds", new JsonObject().put("confDir", conf.toString())));
    bus = fanin.vertx.eventBus();
    base = "http://127.0.0.1:" + upstream.port();
  }

  @AfterAll
  static void stop() {
    fanin.stop();
    upstream.stop();
    vertx.close().await();
  }

  static JsonObject ask(String address, Object body) {
    return bus.<JsonObject>request(address, body).await().body();
  }

  /** The ReplyException a request fails with; asserts it is a recipient failure with this code. */
  static ReplyException refused(String address, Object body, int code) {
    Future<Message<JsonObject>> reply = bus.request(address, body);
    try {
      JsonObject ok = reply.await().body();
      throw new AssertionError("expected failure " + code + " from " + address + ", got " + ok);
    } catch (ReplyException e) {
      assertEquals(ReplyFailure.RECIPIENT_FAILURE, e.failureType(), e.toString());
      assertEquals(code, e.failureCode(), e.getMessage());
      assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
      return e;
    }
  }

  static JsonObject putFeed(String name, JsonObject definition) {
    return ask("fanin.feeds.put", new JsonObject().put("name", name).put("definition", definition));
  }

  // ---- fanin.aggregate ----

  @Test
  void aDefinitionGetsTheAggregateAsReply() {
    JsonObject reply = ask("fanin.aggregate", definition(
        source("a", base + "/bus/a"), source("b", base + "/bus/b?delay=20")));
    assertEquals(true, reply.getBoolean("complete"));
    assertTrue(reply.getLong("durationMs") >= 0);
    JsonObject results = reply.getJsonObject("results");
    assertEquals(List.of("a", "b"), List.copyOf(results.fieldNames()));
    assertEquals("ok", results.getJsonObject("a").getString("status"));
    assertEquals("/bus/b", results.getJsonObject("b").getJsonObject("data").getString("path"));
  }

  @Test
  void aFeedRunsWithItsParams() {
    putFeed("bus-quote", definition(source("q", base + "/bus-quote/{symbol}?n={n}"))
        .put("params", new JsonObject().put("symbol", new JsonObject().put("pattern", "[A-Z]+"))
            .put("n", new JsonObject().put("default", "1"))));
    JsonObject reply = ask("fanin.aggregate", new JsonObject().put("feed", "bus-quote")
        .put("params", new JsonObject().put("symbol", "ETH").put("n", 5)));
    assertEquals(true, reply.getBoolean("complete"));
    JsonObject data = reply.getJsonObject("results").getJsonObject("q").getJsonObject("data");
    assertEquals("/bus-quote/ETH", data.getString("path"));
    assertEquals("n=5", upstream.recorded("/bus-quote/ETH").get(0).query());

    ReplyException missing = refused("fanin.aggregate", new JsonObject().put("feed", "bus-quote"), 400);
    assertTrue(missing.getMessage().contains("/params/symbol"), missing.getMessage());
    ReplyException mismatch = refused("fanin.aggregate", new JsonObject().put("feed", "bus-quote")
        .put("params", new JsonObject().put("symbol", "eth")), 400);
    assertTrue(mismatch.getMessage().contains("/params/symbol"), mismatch.getMessage());
    ReplyException unknown = refused("fanin.aggregate", new JsonObject().put("feed", "bus-quote")
        .put("params", new JsonObject().put("symbol", "ETH").put("zzz", "1")), 400);
    assertTrue(unknown.getMessage().contains("/params/zzz"), unknown.getMessage());
    refused("fanin.aggregate", new JsonObject().put("feed", "bus-quote").put("params", "ETH"), 400);
  }

  @Test
  void invalidRequestsFailWith400AndTheDetail() {
    ReplyException noUrl = refused("fanin.aggregate", new JsonObject()
        .put("sources", new JsonArray().add(new JsonObject().put("id", "a"))), 400);
    assertTrue(noUrl.getMessage().contains("/sources/0/url"), noUrl.getMessage());
    ReplyException unknownField = refused("fanin.aggregate", definition(source("a", base)).put("sorces", 1), 400);
    assertTrue(unknownField.getMessage().contains("/sorces"), unknownField.getMessage());
    refused("fanin.aggregate", "not json", 400);
    refused("fanin.aggregate", new JsonArray().add(1), 400);
    refused("fanin.aggregate", new JsonObject().put("feed", 5), 400);
  }

  @Test
  void anUnknownFeedFailsWith404() {
    ReplyException e = refused("fanin.aggregate", new JsonObject().put("feed", "no-such-feed"), 404);
    assertTrue(e.getMessage().contains("no-such-feed"), e.getMessage());
  }

  @Test
  void aFailedRequiredSourceFailsWith502ListingIt() {
    ReplyException e = refused("fanin.aggregate", definition(
        source("good", base + "/bus/good"), source("bad", base + "/bus/bad?status=500")), 502);
    assertTrue(e.getMessage().contains("bad") && e.getMessage().contains("http"), e.getMessage());
    assertFalse(e.getMessage().contains("good ("), e.getMessage());

    // a timeout together with another failure is a 502 too
    refused("fanin.aggregate", definition(
        source("late", base + "/bus/late?hang=1").put("timeoutMs", 200),
        source("bad", base + "/bus/bad?status=500")), 502);
  }

  @Test
  void onlyTimeoutsFailWith504() {
    ReplyException e = refused("fanin.aggregate", definition(
        source("ok", base + "/bus/ok"),
        source("late", base + "/bus/late?hang=1").put("timeoutMs", 200),
        source("later", base + "/bus/later?hang=1").put("timeoutMs", 250)), 504);
    assertTrue(e.getMessage().contains("late") && e.getMessage().contains("timeout"), e.getMessage());
  }

  @Test
  void aFailedOptionalSourceStillReplies() {
    JsonObject reply = ask("fanin.aggregate", definition(
        source("ok", base + "/bus/ok"), source("opt", base + "/bus/opt?status=500").put("optional", true)));
    assertEquals(false, reply.getBoolean("complete"));
    assertEquals("error", reply.getJsonObject("results").getJsonObject("opt").getString("status"));
  }

  // ---- streaming to an address ----

  record Streamed(List<JsonObject> results, int resultsBeforeReply, Message<JsonObject> reply, Throwable failure) {}

  /** Registers a consumer and sends the request from one context, so their order is observable. */
  static Streamed stream(Object request) throws Exception {
    String address = "test.stream." + UUID.randomUUID();
    List<JsonObject> results = new CopyOnWriteArrayList<>();
    CompletableFuture<Streamed> done = new CompletableFuture<>();
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      MessageConsumer<JsonObject> consumer = bus.consumer(address, m -> results.add(m.body()));
      consumer.completion().compose(x -> bus.<JsonObject>request("fanin.aggregate", request,
          new DeliveryOptions().addHeader("stream-to", address)))
          .onComplete(ar -> {
            int before = results.size();
            consumer.unregister();
            done.complete(new Streamed(results, before, ar.succeeded() ? ar.result() : null, ar.cause()));
          });
    });
    return done.get(10, TimeUnit.SECONDS);
  }

  @Test
  void streamToSendsEachResultAsItCompletesThenRepliesWithTheSummary() throws Exception {
    Streamed s = stream(definition(
        source("slow", base + "/bus/slow?delay=600"),
        source("fast", base + "/bus/fast?delay=10"),
        source("broken", base + "/bus/broken?status=500&delay=100")));
    assertEquals(null, s.failure());
    assertEquals(3, s.resultsBeforeReply(), "every result must arrive before the reply: " + s.results());
    assertEquals(List.of("fast", "broken", "slow"), s.results().stream().map(r -> r.getString("id")).toList());
    for (JsonObject r : s.results()) {
      assertEquals("result", r.getString("type"));
    }
    JsonObject fast = s.results().get(0);
    assertEquals("ok", fast.getString("status"));
    assertEquals(200, fast.getInteger("httpStatus"));
    assertEquals("/bus/fast", fast.getJsonObject("data").getString("path"));
    assertEquals("http", s.results().get(1).getJsonObject("error").getString("kind"));
    JsonObject summary = s.reply().body();
    assertEquals("summary", summary.getString("type"));
    assertEquals(false, summary.getBoolean("complete"));
    assertEquals(2, summary.getInteger("ok"));
    assertEquals(1, summary.getInteger("failed"));
    assertTrue(summary.getLong("durationMs") >= 600, summary.encode());
  }

  @Test
  void streamedResultsAreTheNdjsonLines() throws Exception {
    JsonObject def = definition(source("a", base + "/bus/same"));
    Streamed s = stream(def);
    HttpResponse<Buffer> http = fanin.post("/v1/aggregate", "application/json", "application/x-ndjson", def.toBuffer());
    String[] lines = http.bodyAsString().split("\n");
    JsonObject line = new JsonObject(lines[0]);
    JsonObject result = s.results().get(0);
    assertEquals(line.fieldNames(), result.fieldNames());
    assertEquals(line.getJsonObject("data"), result.getJsonObject("data"));
    assertEquals(new JsonObject(lines[1]).fieldNames(), s.reply().body().fieldNames());
  }

  @Test
  void streamToWorksForFeedsAndRefusesBadRequestsWithoutSendingAnything() throws Exception {
    putFeed("bus-stream", definition(source("s", base + "/bus-stream/{v}"))
        .put("params", new JsonObject().put("v", new JsonObject().put("default", "d"))));
    Streamed feed = stream(new JsonObject().put("feed", "bus-stream").put("params", new JsonObject().put("v", "w")));
    assertEquals(1, feed.resultsBeforeReply());
    assertEquals("/bus-stream/w", feed.results().get(0).getJsonObject("data").getString("path"));
    assertEquals(true, feed.reply().body().getBoolean("complete"));

    Streamed invalid = stream(new JsonObject().put("sources", new JsonArray()));
    assertEquals(400, ((ReplyException) invalid.failure()).failureCode());
    Streamed unknown = stream(new JsonObject().put("feed", "nope"));
    assertEquals(404, ((ReplyException) unknown.failure()).failureCode());
    assertEquals(List.of(), invalid.results());
    assertEquals(List.of(), unknown.results());
  }

  // ---- feed management ----

  @Test
  void feedsArePutGotListedAndDeletedOverTheBus() {
    JsonObject def = definition(source("a", base + "/m"));
    JsonObject created = putFeed("bus-managed", def);
    assertEquals(true, created.getBoolean("created"));
    JsonObject feed = created.getJsonObject("feed");
    assertEquals(Set.of("name", "readOnly", "etag", "definition"), feed.fieldNames());
    assertEquals("bus-managed", feed.getString("name"));
    assertEquals(false, feed.getBoolean("readOnly"));
    assertEquals(def, feed.getJsonObject("definition"));
    String etag = feed.getString("etag");

    assertEquals(feed, ask("fanin.feeds.get", new JsonObject().put("name", "bus-managed")));
    assertEquals(etag, FeedRegistryHttpTest.get(fanin, "/v1/feeds/bus-managed").getHeader("ETag"),
        "the bus and HTTP see one registry");

    JsonObject replaced = putFeed("bus-managed", definition(source("b", base + "/m")));
    assertEquals(false, replaced.getBoolean("created"));
    assertNotEquals(etag, replaced.getJsonObject("feed").getString("etag"));

    JsonArray list = ask("fanin.feeds.list", new JsonObject()).getJsonArray("feeds");
    JsonObject summary = FeedRegistryHttpTest.find(list, "bus-managed");
    assertEquals(1, summary.getInteger("sources"));
    assertEquals(true, FeedRegistryHttpTest.find(list, "fixed").getBoolean("readOnly"));

    assertEquals(new JsonObject().put("deleted", "bus-managed"),
        ask("fanin.feeds.delete", new JsonObject().put("name", "bus-managed")));
    refused("fanin.feeds.get", new JsonObject().put("name", "bus-managed"), 404);
    refused("fanin.feeds.delete", new JsonObject().put("name", "bus-managed"), 404);
  }

  @Test
  void ifMatchOverTheBus() {
    String etag = putFeed("bus-guarded", definition(source("a", base + "/g"))).getJsonObject("feed").getString("etag");
    JsonObject v2 = new JsonObject().put("name", "bus-guarded").put("definition", definition(source("a", base + "/g2")));
    refused("fanin.feeds.put", v2.copy().put("ifMatch", "\"nope\""), 412);
    assertEquals(etag, ask("fanin.feeds.get", new JsonObject().put("name", "bus-guarded")).getString("etag"));
    String etag2 = ask("fanin.feeds.put", v2.copy().put("ifMatch", etag)).getJsonObject("feed").getString("etag");
    refused("fanin.feeds.delete", new JsonObject().put("name", "bus-guarded").put("ifMatch", etag), 412);
    assertEquals(false, ask("fanin.feeds.put", v2.copy().put("ifMatch", "*")).getBoolean("created"));
    ask("fanin.feeds.delete", new JsonObject().put("name", "bus-guarded").put("ifMatch", etag2));
    refused("fanin.feeds.get", new JsonObject().put("name", "bus-guarded"), 404);
    // If-Match on a feed that does not exist: 412, and nothing is created
    refused("fanin.feeds.put", v2.copy().put("ifMatch", "*"), 412);
    refused("fanin.feeds.delete", new JsonObject().put("name", "bus-guarded").put("ifMatch", "*"), 412);
    refused("fanin.feeds.get", new JsonObject().put("name", "bus-guarded"), 404);
  }

  @Test
  void managementValidatesLikeHttp() {
    ReplyException noUrl = refused("fanin.feeds.put", new JsonObject().put("name", "bus-bad")
        .put("definition", new JsonObject().put("sources", new JsonArray().add(new JsonObject().put("id", "a")))), 400);
    assertTrue(noUrl.getMessage().contains("/sources/0/url"), noUrl.getMessage());
    ReplyException host = refused("fanin.feeds.put", new JsonObject().put("name", "bus-bad")
        .put("definition", definition(source("a", "http://{h}/x"))
            .put("params", new JsonObject().put("h", new JsonObject().put("default", "x")))), 400);
    assertTrue(host.getMessage().contains("/sources/0/url"), host.getMessage());
    refused("fanin.feeds.put", new JsonObject().put("name", "bad name").put("definition", definition(source("a", base))), 400);
    for (String dots : List.of(".", "..", "...")) {
      ReplyException onlyDots = refused("fanin.feeds.put",
          new JsonObject().put("name", dots).put("definition", definition(source("a", base))), 400);
      assertTrue(onlyDots.getMessage().contains("not only dots"), onlyDots.getMessage());
      refused("fanin.feeds.get", new JsonObject().put("name", dots), 400);
    }
    refused("fanin.feeds.put", new JsonObject().put("name", "bus-bad"), 400);
    // an ifMatch that is not a string is a bad request, not a registry failure
    ReplyException tag = refused("fanin.feeds.put", new JsonObject().put("name", "bus-bad")
        .put("definition", definition(source("a", base))).put("ifMatch", 5), 400);
    assertTrue(tag.getMessage().contains("ifMatch"), tag.getMessage());
    refused("fanin.feeds.delete", new JsonObject().put("name", "bus-bad").put("ifMatch", true), 400);
    refused("fanin.feeds.put", new JsonObject().put("name", "bus-bad").put("definition", "{}"), 400);
    refused("fanin.feeds.put", new JsonObject().put("definition", definition(source("a", base))), 400);
    refused("fanin.feeds.get", new JsonObject(), 400);
    refused("fanin.feeds.get", new JsonObject().put("name", "a/b"), 400);
    refused("fanin.feeds.delete", new JsonObject().put("name", ""), 400);
    refused("fanin.feeds.get", new JsonObject().put("name", "bus-bad"), 404);
  }

  @Test
  void operatorFeedsAreReadOnlyOverTheBus() {
    JsonObject fixed = ask("fanin.feeds.get", new JsonObject().put("name", "fixed"));
    assertEquals(true, fixed.getBoolean("readOnly"));
    refused("fanin.feeds.put", new JsonObject().put("name", "fixed").put("definition", definition(source("b", base))), 409);
    refused("fanin.feeds.put", new JsonObject().put("name", "fixed").put("definition", definition(source("b", base)))
        .put("ifMatch", fixed.getString("etag")), 409);
    refused("fanin.feeds.delete", new JsonObject().put("name", "fixed"), 409);
    assertEquals(fixed, ask("fanin.feeds.get", new JsonObject().put("name", "fixed")));
  }

  @Test
  void latestNeedsAScheduledRun() {
    putFeed("bus-unscheduled", definition(source("a", base + "/u")));
    refused("fanin.feeds.latest", new JsonObject().put("name", "bus-unscheduled"), 404);
    refused("fanin.feeds.latest", new JsonObject().put("name", "bus-never"), 404);
  }
}
