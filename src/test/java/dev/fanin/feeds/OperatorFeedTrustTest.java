package dev.fanin.feeds;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fanin.testing.FakeUpstream;
import dev.fanin.testing.FaninHarness;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Operator feeds (conf/feeds) may reach private hosts; the same definition from a client may not. */
class OperatorFeedTrustTest {
  static Vertx vertx;
  static FakeUpstream upstream;
  static FaninHarness fanin;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new FakeUpstream(vertx).start();
    Path conf = Files.createTempDirectory("fanin-conf-feeds");
    Files.writeString(conf.resolve("internal.json"), definition().encode());
    fanin = new FaninHarness(vertx, new JsonObject()
        .put("upstream", new JsonObject().put("allowPrivateNetworks", false))
        .put("feeds", new JsonObject().put("confDir", conf.toString())
            .put("dataDir", Files.createTempDirectory("fanin-data").toString())));
  }

  @AfterAll
  static void stop() {
    fanin.stop();
    upstream.stop();
    vertx.close().await();
  }

  static JsonObject definition() {
    return new JsonObject().put("sources", new JsonArray()
        .add(new JsonObject().put("id", "svc").put("url", upstream.url(""))));
  }

  @Test
  void anOperatorFeedReachesALoopbackServiceThatClientsCannot() {
    JsonObject viaFeed = fanin.client.get("/v1/feeds/internal/aggregate").send().await().bodyAsJsonObject();
    assertEquals("ok", viaFeed.getJsonObject("results").getJsonObject("svc").getString("status"));
    assertEquals(1, upstream.requests.get());

    JsonObject direct = fanin.aggregate(definition()).bodyAsJsonObject();
    assertEquals("rejected", direct.getJsonObject("results").getJsonObject("svc")
        .getJsonObject("error").getString("kind"));
    fanin.client.put("/v1/feeds/copy").putHeader("Content-Type", "application/json")
        .sendBuffer(definition().toBuffer()).await();
    JsonObject copy = fanin.client.get("/v1/feeds/copy/aggregate").send().await().bodyAsJsonObject();
    assertEquals("rejected", copy.getJsonObject("results").getJsonObject("svc")
        .getJsonObject("error").getString("kind"));
    assertEquals(1, upstream.requests.get());
  }
}
