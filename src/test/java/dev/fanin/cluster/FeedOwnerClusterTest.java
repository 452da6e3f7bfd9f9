package dev.fanin.cluster;

import static dev.fanin.testing.Eventually.eventually;
import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static dev.fanin.testing.KeyedClient.call;
import static dev.fanin.testing.KeyedClient.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.ClusterNodes;
import dev.fanin.testing.FaninHarness;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A feed's owner travels with its record: every node holds the feed to its owner's rights. */
class FeedOwnerClusterTest {
  final ClusterNodes cluster = new ClusterNodes(2, new JsonObject().put("security", new JsonObject()
      .put("apiKeys", new JsonArray().add(key("alice", "feeds:read", "feeds:write"))
          .add(key("bob", "feeds:read", "feeds:write")))));

  @AfterEach
  void tearDown() {
    cluster.closeAll();
  }

  @Test
  void aFeedCreatedThroughOneNodeIsItsOwnersOnTheOther() {
    FaninHarness a = cluster.node(0);
    FaninHarness b = cluster.node(1);
    JsonObject feed = definition(source("a", "http://127.0.0.1:9/x"));
    assertEquals(201, call(a, HttpMethod.PUT, "/v1/feeds/shared", "alice", feed, null).statusCode());
    Path onB = cluster.dataDir(1).resolve("feeds/shared.json");
    assertTrue(eventually(5_000, () -> Files.exists(onB) && read(onB).contains("alice")),
        "persisted on B with its owner");
    assertEquals(new JsonObject().put("key", "alice"), new JsonObject(read(onB)).getJsonObject("owner"));
    assertEquals(403, call(b, HttpMethod.PUT, "/v1/feeds/shared", "bob", feed, null).statusCode());
    assertEquals(403, call(b, HttpMethod.DELETE, "/v1/feeds/shared", "bob", null, null).statusCode());
    assertEquals(204, call(b, HttpMethod.DELETE, "/v1/feeds/shared", "alice", null, null).statusCode());
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }
}
