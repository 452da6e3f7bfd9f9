package dev.fanin.feeds;

import static dev.fanin.feeds.FeedRegistryHttpTest.problem;
import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static dev.fanin.testing.KeyedClient.call;
import static dev.fanin.testing.KeyedClient.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninExtension;
import dev.fanin.testing.FaninHarness;
import dev.fanin.testing.KeyedClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scheduled feeds are priced by what they make fanin send: each client may own so many
 * (maxScheduledFeeds) and make so many upstream requests a second with them together
 * (maxScheduledPerSecond), checked at PUT; a replaced feed counts once.
 */
class ScheduledFeedBudgetTest {
  // an address that refuses connections at once: the runs cost nothing here, only their price counts
  static final String URL = "http://127.0.0.1:9/x";

  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withConfig(new JsonObject()
      .put("security", new JsonObject().put("apiKeys", new JsonArray()
          .add(key("counted", "feeds:read", "feeds:write").put("maxScheduledFeeds", 2).put("maxScheduledPerSecond", 0))
          .add(key("paced", "feeds:read", "feeds:write").put("maxScheduledFeeds", 0).put("maxScheduledPerSecond", 5))
          .add(key("admin", "feeds:admin")))));

  /** n sources, every everyMs, each with this many retries. */
  static JsonObject scheduled(int n, long everyMs, int retries) {
    JsonArray sources = new JsonArray();
    for (int i = 0; i < n; i++) {
      sources.add(source("s" + i, URL + "?" + i).put("retries", retries));
    }
    return new JsonObject().put("sources", sources).put("schedule", new JsonObject().put("everyMs", everyMs));
  }

  static HttpResponse<Buffer> put(String key, String name, JsonObject feed) {
    return call(fixture.fanin(), HttpMethod.PUT, "/v1/feeds/" + name, key, feed, null);
  }

  static void delete(String key, String name) {
    assertEquals(204, call(fixture.fanin(), HttpMethod.DELETE, "/v1/feeds/" + name, key, null, null).statusCode());
  }

  /** A refusal for the budget: 429, its own problem type, no Retry-After (waiting does not help). */
  static String overBudget(HttpResponse<Buffer> res) {
    JsonObject problem = problem(res, 429);
    assertEquals("urn:fanin:problem:scheduled-budget", problem.getString("type"));
    assertNull(res.getHeader("Retry-After"));
    return problem.getString("detail");
  }

  @Test
  void aKeyOwnsAtMostMaxScheduledFeeds() {
    assertEquals(201, put("counted", "c1", scheduled(1, 60_000, 0)).statusCode());
    assertEquals(201, put("counted", "c2", scheduled(1, 60_000, 0)).statusCode());
    String detail = overBudget(put("counted", "c3", scheduled(1, 60_000, 0)));
    assertTrue(detail.contains("API key counted") && detail.contains("maxScheduledFeeds")
        && detail.contains("at most 2") && detail.contains("owns 2"), detail);
    // feeds without a schedule cost nothing
    assertEquals(201, put("counted", "c3", definition(source("a", URL))).statusCode());
    // replacing a scheduled feed is not adding one
    assertEquals(200, put("counted", "c1", scheduled(2, 30_000, 1)).statusCode());
    // dropping a schedule frees its place
    assertEquals(200, put("counted", "c2", definition(source("a", URL))).statusCode());
    assertEquals(200, put("counted", "c3", scheduled(1, 60_000, 0)).statusCode());
    for (String name : new String[] {"c1", "c2", "c3"}) {
      delete("counted", name);
    }
    assertEquals(201, put("counted", "c4", scheduled(1, 60_000, 0)).statusCode(), "deleting frees places");
    delete("counted", "c4");
  }

  @Test
  void theScheduledFeedsOfAKeyMakeAtMostMaxScheduledPerSecond() {
    assertEquals(201, put("paced", "r1", scheduled(3, 1000, 0)).statusCode());
    String detail = overBudget(put("paced", "r2", scheduled(3, 1000, 0)));
    assertTrue(detail.contains("API key paced") && detail.contains("maxScheduledPerSecond")
        && detail.contains("at most 5") && detail.contains("6/s") && detail.contains("3/s without it"), detail);
    assertEquals(201, put("paced", "r2", scheduled(4, 2000, 0)).statusCode(), "2/s: 5/s in all");
    // replacing r1 counts its new cost instead of its old one, not both
    assertEquals(200, put("paced", "r1", scheduled(3, 1000, 0)).statusCode());
    assertEquals(200, put("paced", "r1", scheduled(1, 1000, 2)).statusCode(), "retries count: 1 + 2 a run");
    detail = overBudget(put("paced", "r1", scheduled(1, 1000, 3)));
    assertTrue(detail.contains("4 requests every 1 s") && detail.contains("6/s"), detail);
    overBudget(put("paced", "r3", scheduled(1, 60_000, 0)));
    // an admin's change is the owner's cost: it counts against the owner's budget
    assertTrue(overBudget(put("admin", "r2", scheduled(3, 1000, 0))).contains("API key paced"));
    assertEquals(200, put("admin", "r2", scheduled(1, 1000, 0)).statusCode(), "a cheaper version passes");
    delete("paced", "r1");
    delete("paced", "r2");
  }

  @Test
  void anonymousClientsHaveTheDefaultBudgetPerAddress() {
    Vertx own = Vertx.vertx();
    FaninHarness open = new FaninHarness(own, new JsonObject().put("security", new JsonObject()
        .put("clientBudget", new JsonObject().put("maxScheduledFeeds", 1))));
    WebClient other = KeyedClient.from(open, "127.0.0.2");
    try {
      assertEquals(201, call(open, HttpMethod.PUT, "/v1/feeds/a1", null, scheduled(1, 60_000, 0), null).statusCode());
      String detail = overBudget(call(open, HttpMethod.PUT, "/v1/feeds/a2", null, scheduled(1, 60_000, 0), null));
      assertTrue(detail.contains("client 127.0.0.1"), detail);
      assertEquals(201, call(other, HttpMethod.PUT, "/v1/feeds/a2", null, scheduled(1, 60_000, 0), null).statusCode(),
          "another address has a budget of its own");
      // without keys anyone may change a feed, but it is still its creator's to pay for
      assertEquals(200, call(other, HttpMethod.PUT, "/v1/feeds/a1", null, scheduled(1, 30_000, 0), null).statusCode());
      overBudget(call(other, HttpMethod.PUT, "/v1/feeds/a3", null, scheduled(1, 60_000, 0), null));
    } finally {
      other.close();
      open.stop();
      own.close().await();
    }
  }
}
