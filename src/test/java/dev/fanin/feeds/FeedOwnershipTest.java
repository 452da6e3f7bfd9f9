package dev.fanin.feeds;

import static dev.fanin.feeds.FeedRegistryHttpTest.problem;
import static dev.fanin.feeds.FeedRegistryHttpTest.tempDir;
import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static dev.fanin.testing.KeyedClient.call;
import static dev.fanin.testing.KeyedClient.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninExtension;
import dev.fanin.testing.FaninHarness;
import dev.fanin.testing.KeyedClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Feeds belong to the key that created them: others may read and run them, only the owner or a
 * feeds:admin key may change them, and a key that cannot read feeds cannot tell another's feed
 * from a missing one.
 */
class FeedOwnershipTest {
  static final String URL = "http://127.0.0.1:9/x";
  static final Path DATA = tempDir("fanin-owner-data");
  static final Path CONF = tempDir("fanin-owner-conf");

  static JsonObject keys() {
    return new JsonObject().put("apiKeys", new JsonArray()
        .add(key("alice", "feeds:read", "feeds:write", "aggregate"))
        .add(key("bob", "feeds:read", "feeds:write"))
        .add(key("admin", "feeds:admin"))
        .add(key("writer", "feeds:write").put("maxScheduledPerSecond", 1)));
  }

  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withConfig(withStoredFeeds(new JsonObject()
      .put("security", keys())
      .put("feeds", new JsonObject().put("dataDir", DATA.toString()).put("confDir", CONF.toString()))));

  /** An operator feed, and a feed stored before feeds had owners, in place before the fixture starts. */
  static JsonObject withStoredFeeds(JsonObject config) {
    try {
      Files.writeString(CONF.resolve("operator.json"), definition(source("a", URL)).encode());
      Files.createDirectories(DATA.resolve("feeds"));
      Files.writeString(DATA.resolve("feeds/legacy.json"), new JsonObject().put("rev", 3).put("updatedAt", 1000)
          .put("definition", definition(source("a", URL))).encodePrettily());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return config;
  }

  static FaninHarness fanin() {
    return fixture.fanin();
  }

  static HttpResponse<Buffer> put(String key, String name, JsonObject feed, String ifMatch) {
    return call(fanin(), HttpMethod.PUT, "/v1/feeds/" + name, key, feed, ifMatch);
  }

  static HttpResponse<Buffer> delete(String key, String name, String ifMatch) {
    return call(fanin(), HttpMethod.DELETE, "/v1/feeds/" + name, key, null, ifMatch);
  }

  static JsonObject stored(Path data, String name) {
    try {
      return new JsonObject(Files.readString(data.resolve("feeds/" + name + ".json")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonObject forbidden(HttpResponse<Buffer> res) {
    JsonObject problem = problem(res, 403);
    assertEquals("urn:fanin:problem:forbidden", problem.getString("type"));
    return problem;
  }

  @Test
  void onlyTheOwnerOrAnAdminMayReplaceOrDeleteAFeed() {
    JsonObject v1 = definition(source("a", URL));
    assertEquals(201, put("alice", "owned", v1, null).statusCode());
    assertEquals(new JsonObject().put("key", "alice"), stored(DATA, "owned").getJsonObject("owner"));

    // another key reads it, and is told whose it is and who may change it
    assertEquals(200, call(fanin(), HttpMethod.GET, "/v1/feeds/owned", "bob", null, null).statusCode());
    String detail = forbidden(put("bob", "owned", definition(source("b", URL)), null)).getString("detail");
    assertTrue(detail.contains("API key alice") && detail.contains("feeds:admin"), detail);
    forbidden(put("bob", "owned", definition(source("b", URL)), "*"));
    forbidden(delete("bob", "owned", null));
    assertEquals(v1, call(fanin(), HttpMethod.GET, "/v1/feeds/owned", "alice", null, null)
        .bodyAsJsonObject().getJsonObject("definition"), "unchanged");

    // an admin may; the feed stays alice's
    assertEquals(200, put("admin", "owned", definition(source("c", URL)), null).statusCode());
    assertEquals(new JsonObject().put("key", "alice"), stored(DATA, "owned").getJsonObject("owner"));
    forbidden(delete("bob", "owned", null));
    assertEquals(200, put("alice", "owned", v1, null).statusCode());
    assertEquals(204, delete("alice", "owned", null).statusCode());

    // once deleted, the name is free: whoever creates it next owns it
    assertEquals(201, put("bob", "owned", v1, null).statusCode());
    forbidden(delete("alice", "owned", null));
    assertEquals(204, delete("admin", "owned", null).statusCode());
  }

  @Test
  void aWriteOnlyKeyCannotTellAnotherKeysFeedFromAMissingOne() {
    JsonObject original = definition(source("a", URL));
    assertEquals(201, put("alice", "private-name", original, null).statusCode());
    String etag = call(fanin(), HttpMethod.GET, "/v1/feeds/private-name", "alice", null, null).getHeader("ETag");
    JsonObject feed = definition(source("w", URL));
    // 2 requests a second, over the writer's budget of 1
    JsonObject costly = definition(source("w", URL), source("v", URL))
        .put("schedule", new JsonObject().put("everyMs", 1000));
    for (String taken : new String[] {"private-name", "operator"}) {
      for (String ifMatch : new String[] {"*", etag, "\"other\""}) {
        sameAnswer(412, put("writer", taken, feed, ifMatch), put("writer", "never-made", feed, ifMatch), taken);
        sameAnswer(412, delete("writer", taken, ifMatch), delete("writer", "never-made", ifMatch), taken);
      }
      sameAnswer(404, delete("writer", taken, null), delete("writer", "never-made", null), taken);
      sameAnswer(429, put("writer", taken, costly, null), put("writer", "never-made", costly, null), taken);
    }
    // creating is the one thing that tells: a taken name cannot be created (documented)
    forbidden(put("writer", "private-name", feed, null));
    assertEquals(original, call(fanin(), HttpMethod.GET, "/v1/feeds/private-name", "alice", null, null)
        .bodyAsJsonObject().getJsonObject("definition"), "unchanged");
    // a key that reads feeds is told the truth instead
    forbidden(put("bob", "private-name", feed, "*"));
    assertEquals(409, put("bob", "operator", feed, "*").statusCode());
    assertEquals(204, delete("alice", "private-name", null).statusCode());
  }

  /** The same status, and the same problem but for the feed's name. */
  static void sameAnswer(int status, HttpResponse<Buffer> taken, HttpResponse<Buffer> missing, String name) {
    JsonObject a = problem(taken, status);
    JsonObject b = problem(missing, status);
    assertEquals(b.encode().replace("never-made", name), a.encode(), "for " + name);
  }

  @Test
  void feedsAdminHoldsFeedsReadAndFeedsWrite() {
    assertEquals(200, call(fanin(), HttpMethod.GET, "/v1/feeds", "admin", null, null).statusCode());
    assertEquals(201, put("admin", "admins", definition(source("a", URL)), null).statusCode());
    forbidden(delete("alice", "admins", null));
    assertEquals(204, delete("admin", "admins", null).statusCode());
    // but not aggregate: running is another right
    assertEquals(403, call(fanin(), HttpMethod.POST, "/v1/aggregate", "admin", definition(source("a", URL)), null)
        .statusCode());
  }

  @Test
  void operatorFeedsStayReadOnlyToAdminsToo() {
    JsonObject problem = problem(put("admin", "operator", definition(source("a", URL)), null), 409);
    assertTrue(problem.getString("detail").contains("read-only"), problem.encode());
    problem(delete("admin", "operator", null), 409);
    problem(delete("alice", "operator", null), 409);
  }

  @Test
  void aFeedStoredBeforeOwnersBelongsToNoKeyAndOnlyAdminsChangeIt() {
    assertEquals(200, call(fanin(), HttpMethod.GET, "/v1/feeds/legacy", "alice", null, null).statusCode());
    String detail = forbidden(put("alice", "legacy", definition(source("b", URL)), null)).getString("detail");
    assertTrue(detail.contains("no API key") && detail.contains("feeds:admin"), detail);
    forbidden(delete("bob", "legacy", null));
    assertEquals(200, put("admin", "legacy", definition(source("b", URL)), null).statusCode());
    JsonObject stored = stored(DATA, "legacy");
    assertEquals(4L, stored.getLong("rev"));
    assertFalse(stored.containsKey("owner"), "an admin's change does not make it the admin's: " + stored);
  }

  @Test
  void theEventBusIsTrustedUnlessARequestNamesAKey() {
    var bus = fixture.vertx().eventBus();
    assertEquals(201, put("alice", "bus-owned", definition(source("a", URL)), null).statusCode());
    JsonObject change = new JsonObject().put("name", "bus-owned").put("definition", definition(source("b", URL)));
    // a request that names a key is held to that key's rights, as over HTTP
    try {
      bus.request(FeedAddresses.PUT, change, new DeliveryOptions().addHeader(FeedClient.KEY_HEADER, "bob")).await();
      throw new AssertionError("bob changed alice's feed over the bus");
    } catch (ReplyException e) {
      assertEquals(403, e.failureCode(), e.getMessage());
    }
    // one that names none comes from inside the cluster: trusted, and the feed stays alice's
    bus.request(FeedAddresses.PUT, change).await();
    forbidden(delete("bob", "bus-owned", null));
    assertEquals(204, delete("alice", "bus-owned", null).statusCode());
    // what the bus creates belongs to no key
    bus.request(FeedAddresses.PUT, change.copy().put("name", "bus-made")).await();
    forbidden(delete("alice", "bus-made", null));
    assertEquals(204, delete("admin", "bus-made", null).statusCode());
  }

  @Test
  void theOwnerSurvivesARestart() {
    Path data = tempDir("fanin-owner-restart");
    JsonObject cfg = new JsonObject().put("security", keys())
        .put("feeds", new JsonObject().put("dataDir", data.toString()));
    // an own Vert.x: two registries on one event bus would share the fanin.feeds.* addresses
    Vertx own = Vertx.vertx();
    FaninHarness first = new FaninHarness(own, cfg);
    try {
      assertEquals(201, call(first, HttpMethod.PUT, "/v1/feeds/kept", "alice", definition(source("a", URL)), null)
          .statusCode());
    } finally {
      first.stop();
    }
    assertEquals(new JsonObject().put("key", "alice"), stored(data, "kept").getJsonObject("owner"));
    FaninHarness second = new FaninHarness(own, cfg);
    try {
      forbidden(call(second, HttpMethod.DELETE, "/v1/feeds/kept", "bob", null, null));
      assertEquals(204, call(second, HttpMethod.DELETE, "/v1/feeds/kept", "alice", null, null).statusCode());
    } finally {
      second.stop();
      own.close().await();
    }
  }

  @Test
  void withoutKeysAnyClientMayChangeAnyFeedAsBefore() {
    Vertx own = Vertx.vertx();
    FaninHarness open = new FaninHarness(own, new JsonObject());
    WebClient other = KeyedClient.from(open, "127.0.0.2");
    try {
      assertEquals(201, call(open, HttpMethod.PUT, "/v1/feeds/open", null, definition(source("a", URL)), null)
          .statusCode());
      // the creator's address is kept to count its scheduled feeds; it gives no rights
      assertEquals(200, call(other, HttpMethod.PUT, "/v1/feeds/open", null, definition(source("b", URL)), "*")
          .statusCode());
      assertEquals(204, call(other, HttpMethod.DELETE, "/v1/feeds/open", null, null, null).statusCode());
    } finally {
      other.close();
      open.stop();
      own.close().await();
    }
  }
}
