package dev.fanin.cluster;

import static dev.fanin.testing.Eventually.eventually;
import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.ClusterNodes;
import dev.fanin.testing.FakeUpstream;
import dev.fanin.testing.FaninHarness;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * fanin as a cluster of nodes in this JVM on 127.0.0.1, each a Hazelcast member started the way
 * Main starts one: the event bus across nodes, the shared feed registry, one poller per feed.
 */
class ClusterTest {
  static final JsonObject CONFIG = new JsonObject().put("feeds", new JsonObject().put("minScheduleMs", 50));
  ClusterNodes cluster;
  Vertx local;
  FakeUpstream upstream;

  @BeforeEach
  void setUp() {
    cluster = new ClusterNodes(4, CONFIG);
    local = Vertx.vertx();
    upstream = new FakeUpstream(local).start();
  }

  @AfterEach
  void tearDown() {
    cluster.closeAll();
    upstream.stop();
    local.close().await();
  }

  String url(String path) {
    return "http://127.0.0.1:" + upstream.port() + path;
  }

  static HttpResponse<Buffer> put(FaninHarness node, String name, JsonObject definition, String ifMatch) {
    var req = node.client.request(HttpMethod.PUT, "/v1/feeds/" + name).putHeader("Content-Type", "application/json");
    if (ifMatch != null) {
      req.putHeader("If-Match", ifMatch);
    }
    return req.sendBuffer(definition.toBuffer()).await();
  }

  static HttpResponse<Buffer> get(FaninHarness node, String path) {
    return node.client.request(HttpMethod.GET, path).send().await();
  }

  static List<String> polling(FaninHarness node) {
    JsonArray list = get(node, "/v1/cluster").bodyAsJsonObject().getJsonArray("polling");
    return list.stream().map(Object::toString).toList();
  }

  static JsonObject scheduled(String url, long everyMs) {
    return definition(source("a", url)).put("schedule", new JsonObject().put("everyMs", everyMs));
  }

  @Test
  void aggregationsOnTheBusAreServedByEveryNodeForAMemberWithoutFanin() {
    FaninHarness a = cluster.node(0);
    FaninHarness b = cluster.node(1);
    Vertx client = cluster.member(2);
    JsonObject request = definition(source("q", url("/quote")));
    Set<String> servedBy = new HashSet<>();
    for (int i = 0; i < 12; i++) {
      Message<Object> reply = client.eventBus().request("fanin.aggregate", request).await();
      JsonObject body = (JsonObject) reply.body();
      assertEquals("ok", body.getJsonObject("results").getJsonObject("q").getString("status"), body.encode());
      servedBy.add(reply.headers().get("fanin-node"));
    }
    assertEquals(Set.of(nodeId(a), nodeId(b)), servedBy, "requests are spread over both nodes");
    assertEquals(12, upstream.requests.get());
  }

  @Test
  void aStreamedAggregationReachesTheRequesterOnAnotherNode() {
    cluster.node(0);
    Vertx client = cluster.member(1);
    List<JsonObject> lines = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> sink = client.eventBus().consumer("client.stream", m -> lines.add(m.body()));
    sink.completion().await();
    JsonObject request = definition(source("a", url("/a")), source("b", url("/b")));
    Message<Object> done = client.eventBus().request("fanin.aggregate", request,
        new DeliveryOptions().addHeader("stream-to", "client.stream")).await();
    assertEquals(2, ((JsonObject) done.body()).getInteger("ok"));
    assertTrue(eventually(5_000, () -> lines.size() == 2), "one message per source: " + lines);
  }

  @Test
  void aFeedWrittenThroughOneNodeIsReadableAndRunnableOnTheOtherAtOnce() throws Exception {
    FaninHarness a = cluster.node(0);
    FaninHarness b = cluster.node(1);
    HttpResponse<Buffer> created = put(a, "shared", definition(source("a", url("/shared"))), null);
    assertEquals(201, created.statusCode());
    String etag = created.getHeader("ETag");
    HttpResponse<Buffer> read = get(b, "/v1/feeds/shared");
    assertEquals(200, read.statusCode());
    assertEquals(etag, read.getHeader("ETag"));
    HttpResponse<Buffer> run = get(b, "/v1/feeds/shared/aggregate");
    assertEquals(200, run.statusCode(), run.bodyAsString());
    assertEquals("ok", run.bodyAsJsonObject().getJsonObject("results").getJsonObject("a").getString("status"));
    // If-Match holds across nodes: a change through A makes B's copy of the tag stale
    assertEquals(200, put(a, "shared", definition(source("a", url("/v2"))), etag).statusCode());
    assertEquals(412, put(b, "shared", definition(source("a", url("/v3"))), etag).statusCode());
    // and every node keeps the feed on its own disk
    Path onB = cluster.dataDir(1).resolve("feeds/shared.json");
    assertTrue(eventually(5_000, () -> Files.exists(onB) && read(onB).contains("/v2")), "persisted on B");
    assertEquals(1, get(b, "/v1/feeds").bodyAsJsonObject().getJsonArray("feeds").size());
  }

  @Test
  void eachScheduledFeedIsPolledByOneNodeAndItsRunsReachSubscribersOnEveryNode() {
    FaninHarness a = cluster.node(0);
    FaninHarness b = cluster.node(1);
    List<JsonObject> heardOnB = new CopyOnWriteArrayList<>();
    b.vertx.eventBus().<JsonObject>consumer("fanin.feed.ticker", m -> heardOnB.add(m.body())).completion().await();
    assertEquals(201, put(a, "ticker", scheduled(url("/ticker"), 200), null).statusCode());
    assertTrue(eventually(5_000, () -> polling(a).size() + polling(b).size() == 1), "one poller");
    assertTrue(eventually(5_000, () -> heardOnB.size() >= 3), "runs published across the cluster");
    // one poller: about one request per 200 ms, not two
    upstream.resetCounters();
    sleep(2_000);
    int requests = upstream.path("/ticker").requests.get();
    assertTrue(requests >= 6 && requests <= 12, "one poller at 200 ms makes ~10 requests in 2 s, saw " + requests);
    assertEquals(1, polling(a).size() + polling(b).size());
    // the latest run is known on both nodes, whichever polls (requests alternate between them)
    Set<String> answeredBy = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      Message<JsonObject> latest = a.vertx.eventBus().<JsonObject>request("fanin.feeds.latest",
          new JsonObject().put("name", "ticker")).await();
      assertEquals("ticker", latest.body().getString("feed"));
      answeredBy.add(latest.headers().get("fanin-node"));
    }
    assertEquals(Set.of(nodeId(a), nodeId(b)), answeredBy);
  }

  @Test
  void whenThePollingNodeLeavesAnotherTakesTheScheduleOverWithinOneInterval() {
    FaninHarness a = cluster.node(0);
    FaninHarness b = cluster.node(1);
    assertEquals(201, put(a, "moving", scheduled(url("/moving"), 1_000), null).statusCode());
    assertTrue(eventually(5_000, () -> polling(a).size() + polling(b).size() == 1), "one poller");
    FaninHarness poller = polling(a).isEmpty() ? b : a;
    FaninHarness other = poller == a ? b : a;
    assertTrue(eventually(5_000, () -> upstream.path("/moving").requests.get() >= 1), "polled");
    long left = System.currentTimeMillis();
    ClusterNodes.leave(poller);
    assertTrue(eventually(5_000, () -> polling(other).equals(List.of("moving"))), "the other node polls now");
    int before = upstream.path("/moving").requests.get();
    assertTrue(eventually(3_000, () -> upstream.path("/moving").requests.get() > before), "and runs the feed");
    long tookOver = System.currentTimeMillis() - left;
    assertTrue(tookOver < 2_500, "next run within one interval (1 s) plus slack, took " + tookOver + " ms");
  }

  @Test
  void aNodeJoiningLateGetsTheRegistryAndKeepsItOnItsDisk() {
    FaninHarness a = cluster.node(0);
    assertEquals(201, put(a, "early", definition(source("a", url("/early"))), null).statusCode());
    assertEquals(201, put(a, "gone", definition(source("a", url("/gone"))), null).statusCode());
    assertEquals(204, a.client.request(HttpMethod.DELETE, "/v1/feeds/gone").send().await().statusCode());
    FaninHarness late = cluster.node(1);
    assertEquals(200, get(late, "/v1/feeds/early").statusCode());
    assertEquals(404, get(late, "/v1/feeds/gone").statusCode());
    assertTrue(Files.exists(cluster.dataDir(1).resolve("feeds/early.json")));
  }

  @Test
  void aFullClusterRestartLosesNothingAndDoesNotReviveDeletedFeeds() {
    FaninHarness a = cluster.node(0);
    FaninHarness b = cluster.node(1);
    assertEquals(201, put(a, "kept", definition(source("a", url("/kept"))), null).statusCode());
    assertEquals(201, put(b, "doomed", definition(source("a", url("/doomed"))), null).statusCode());
    assertTrue(eventually(5_000, () -> Files.exists(cluster.dataDir(0).resolve("feeds/doomed.json"))));
    // B goes away; the feed is deleted and another changed while it is gone
    ClusterNodes.leave(b);
    assertEquals(204, a.client.request(HttpMethod.DELETE, "/v1/feeds/doomed").send().await().statusCode());
    assertEquals(200, put(a, "kept", definition(source("a", url("/kept-v2"))), null).statusCode());
    ClusterNodes.leave(a);
    // B comes back first with the older disk: then A joins with the newer one
    FaninHarness b2 = cluster.node(1);
    assertEquals(200, get(b2, "/v1/feeds/doomed").statusCode(), "B alone only knows its own disk");
    FaninHarness a2 = cluster.node(0);
    for (FaninHarness node : List.of(a2, b2)) {
      assertEquals(404, get(node, "/v1/feeds/doomed").statusCode(), "the newer tombstone wins");
      HttpResponse<Buffer> kept = get(node, "/v1/feeds/kept");
      assertEquals(200, kept.statusCode());
      assertTrue(kept.bodyAsString().contains("/kept-v2"), "the newer version wins: " + kept.bodyAsString());
    }
    assertTrue(eventually(5_000, () -> read(cluster.dataDir(1).resolve("feeds/kept.json")).contains("/kept-v2")));
    assertTrue(eventually(5_000, () -> read(cluster.dataDir(1).resolve("feeds/doomed.json")).contains("deleted")));
  }

  @Test
  void twoNodesWritingTheSameVersionAtOnceCannotBothWin() throws Exception {
    FaninHarness a = cluster.node(0);
    FaninHarness b = cluster.node(1);
    assertEquals(201, put(a, "contested", definition(source("a", url("/v0"))), null).statusCode());
    for (int round = 1; round <= 5; round++) {
      // both nodes change the version they both read, at the same time: compare-and-set lets one through
      String read = etagOf(a);
      String aUrl = url("/a" + round);
      String bUrl = url("/b" + round);
      var fromA = java.util.concurrent.CompletableFuture.supplyAsync(
          () -> put(a, "contested", definition(source("a", aUrl)), read));
      var fromB = java.util.concurrent.CompletableFuture.supplyAsync(
          () -> put(b, "contested", definition(source("a", bUrl)), read));
      List<Integer> codes = new java.util.ArrayList<>(List.of(fromA.get().statusCode(), fromB.get().statusCode()));
      java.util.Collections.sort(codes);
      assertEquals(List.of(200, 412), codes, "round " + round);
      String winner = fromA.get().statusCode() == 200 ? aUrl : bUrl;
      for (FaninHarness node : List.of(a, b)) {
        assertTrue(get(node, "/v1/feeds/contested").bodyAsString().contains(winner), "both nodes see the winner");
      }
    }
  }

  private static String etagOf(FaninHarness node) {
    return get(node, "/v1/feeds/contested").getHeader("ETag");
  }

  @Test
  void aChangeANodeMissedIsHealedByTheNextSync() {
    FaninHarness a = cluster.node(0);
    FaninHarness b = cluster.node(1);
    // written straight into the shared map, as if B had missed the announcement
    JsonObject record = new JsonObject().put("rev", 1).put("updatedAt", System.currentTimeMillis())
        .put("definition", definition(source("a", url("/missed"))));
    a.vertx.sharedData().<String, String>getAsyncMap("fanin.feeds").await().put("missed", record.encode()).await();
    assertEquals(200, get(b, "/v1/feeds/missed").statusCode(), "readable at once: reads go to the map");
    Path onB = cluster.dataDir(1).resolve("feeds/missed.json");
    assertTrue(eventually(15_000, () -> read(onB).contains("/missed")), "persisted on B by the periodic sync");
  }

  @Test
  void theClusterEndpointNamesTheNodeAndItsMembers() {
    FaninHarness a = cluster.node(0);
    FaninHarness b = cluster.node(1);
    JsonObject view = get(a, "/v1/cluster").bodyAsJsonObject();
    assertTrue(view.getBoolean("clustered"));
    assertEquals(nodeId(a), view.getString("node"));
    assertEquals(2, view.getJsonArray("members").size());
    assertTrue(view.getJsonArray("members").contains(nodeId(b)));
    assertNotEquals(nodeId(a), nodeId(b));
    JsonObject ready = get(a, "/health/ready").bodyAsJsonObject();
    assertEquals("UP", ready.getString("status"), ready.encode());
    assertNull(view.getValue("error"));
    assertFalse(view.getJsonArray("polling").contains("nothing"));
  }

  static String nodeId(FaninHarness node) {
    return node.fanin.cluster().nodeId();
  }

  static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (java.io.IOException e) {
      return "";
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
