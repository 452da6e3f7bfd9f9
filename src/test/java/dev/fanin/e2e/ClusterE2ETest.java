package dev.fanin.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FakeUpstream;
import dev.fanin.testing.FaninHarness;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real fanin processes started with the README's command and --cluster, on 127.0.0.1: the
 * polling node is killed with SIGKILL (no goodbye to the cluster) and another node must take its
 * scheduled feed over within one interval.
 */
class ClusterE2ETest {
  static final long EVERY_MS = 3_000;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void killingThePollingNodeMovesItsScheduleToAnotherWithinOneInterval(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    FakeUpstream upstream = new FakeUpstream(vertx).start();
    List<ServiceProcess> nodes = new ArrayList<>();
    try {
      int[] clusterPorts = {FaninHarness.freePort(), FaninHarness.freePort(), FaninHarness.freePort()};
      String members = java.util.Arrays.stream(clusterPorts).mapToObj(p -> "127.0.0.1:" + p)
          .collect(Collectors.joining(","));
      String name = "fanin-e2e-" + UUID.randomUUID();
      for (int i = 0; i < 3; i++) {
        Path data = Files.createDirectories(dir.resolve("node" + i));
        nodes.add(ServiceProcess.start(FaninHarness.freePort(), Map.of(
            "FANIN_CLUSTER_NAME", name,
            "FANIN_CLUSTER_PORT", Integer.toString(clusterPorts[i]),
            "FANIN_CLUSTER_MEMBERS", members,
            "FANIN_FEEDS_DATA_DIR", data.toString(),
            "FANIN_FEEDS_CONF_DIR", dir.resolve("no-conf").toString(),
            "FANIN_UPSTREAM_ALLOW_PRIVATE_NETWORKS", "true"), "--cluster"));
      }
      for (ServiceProcess node : nodes) {
        node.awaitHealthy(Duration.ofSeconds(60));
      }
      for (ServiceProcess node : nodes) {
        assertTrue(until(30_000, () -> cluster(node).getJsonArray("members").size() == 3),
            "three members: " + cluster(node).encode());
      }
      String url = "http://127.0.0.1:" + upstream.port() + "/polled";
      JsonObject feed = new JsonObject()
          .put("sources", new JsonArray().add(new JsonObject().put("id", "a").put("url", url)))
          .put("schedule", new JsonObject().put("everyMs", EVERY_MS));
      HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(nodes.get(0).url("/v1/feeds/polled")))
          .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(feed.encode()))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(201, created.statusCode(), created.body());
      assertTrue(until(10_000, () -> pollers(nodes).size() == 1), "exactly one poller");
      assertTrue(until(10_000, () -> upstream.path("/polled").requests.get() >= 2), "polled twice");
      ServiceProcess poller = pollers(nodes).get(0);

      int before = upstream.path("/polled").requests.get();
      long killed = System.currentTimeMillis();
      poller.process.destroyForcibly().waitFor();
      nodes.remove(poller);
      // before the cluster has noticed, the survivors still answer registry reads at once: they read
      // the shared map through their own registry, never through the dead node
      for (int i = 0; i < 6; i++) {
        for (ServiceProcess node : nodes) {
          HttpResponse<String> read = http.send(HttpRequest.newBuilder(URI.create(node.url("/v1/feeds/polled")))
              .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
          assertEquals(200, read.statusCode(), read.body());
        }
      }
      assertTrue(until(3 * EVERY_MS, () -> pollers(nodes).size() == 1), "a survivor holds the feed's lock");
      long locked = System.currentTimeMillis() - killed;
      assertTrue(until(3 * EVERY_MS, () -> upstream.path("/polled").requests.get() > before),
          "another node runs the feed");
      long gap = System.currentTimeMillis() - killed;
      System.out.println("cluster takeover: lock taken " + locked + " ms and next run " + gap
          + " ms after SIGKILL of the poller, which had just run (interval " + EVERY_MS + " ms)");
      assertTrue(gap <= EVERY_MS + 1_000, "the next run came " + gap + " ms after the kill; the interval is " + EVERY_MS);
      assertEquals(1, pollers(nodes).size(), "one of the two survivors polls");
      // and the registry lives on in the survivors
      for (ServiceProcess node : nodes) {
        HttpResponse<String> got = http.send(HttpRequest.newBuilder(URI.create(node.url("/v1/feeds/polled"))).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, got.statusCode());
      }
      // one poller from here on: runs keep the interval
      int after = upstream.path("/polled").requests.get();
      Thread.sleep(2 * EVERY_MS + 500);
      int more = upstream.path("/polled").requests.get() - after;
      assertTrue(more >= 1 && more <= 3, "one poller keeps the pace, saw " + more + " runs in two intervals");
    } finally {
      for (ServiceProcess node : nodes) {
        node.close();
      }
      upstream.stop();
      vertx.close().await();
    }
  }

  private JsonObject cluster(ServiceProcess node) {
    try {
      HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(node.url("/v1/cluster")))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      return new JsonObject(res.body());
    } catch (Exception e) {
      return new JsonObject().put("members", new JsonArray()).put("polling", new JsonArray());
    }
  }

  private List<ServiceProcess> pollers(List<ServiceProcess> nodes) {
    return nodes.stream().filter(n -> !cluster(n).getJsonArray("polling").isEmpty()).toList();
  }

  private static boolean until(long ms, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long end = System.currentTimeMillis() + ms;
    while (System.currentTimeMillis() < end) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(50);
    }
    return condition.getAsBoolean();
  }
}
