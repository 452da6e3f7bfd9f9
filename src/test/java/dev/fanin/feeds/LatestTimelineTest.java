package dev.fanin.feeds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The whole timeline a node keeps of a scheduled feed, from its own runs or from the new items of others'. */
class LatestTimelineTest {
  static JsonObject item(String id, String published) {
    return new JsonObject().put("id", id).put("published", published);
  }

  static List<String> ids(LatestTimeline t) {
    return t.items().stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  @Test
  void runsHeardFromAnotherNodeAddTheirNewItemsNewestFirst() {
    FeedRunHub hub = new FeedRunHub(10, 10);
    assertNull(hub.latestTimeline("f"));
    hub.heardItems("f", "2024-01-01T00:00:00Z", new JsonArray()
        .add(item("b", "2024-01-02T00:00:00Z")).add(item("a", "2024-01-01T00:00:00Z")));
    hub.heardItems("f", "2024-01-02T00:00:00Z", new JsonArray()
        .add(item("c", "2024-01-03T00:00:00Z")).add(item("old", "2023-01-01T00:00:00Z")).add(item("a", "2024-01-01T00:00:00Z")));
    LatestTimeline t = hub.latestTimeline("f");
    assertEquals("2024-01-02T00:00:00Z", t.runAt());
    assertEquals(List.of("c", "b", "a", "old"), ids(t));
    hub.timeline("f", new LatestTimeline("2024-01-03T00:00:00Z", new JsonArray().add(item("z", null))));
    assertEquals(List.of("z"), ids(hub.latestTimeline("f")), "this node's own run replaces it whole");
    hub.forget("f");
    assertNull(hub.latestTimeline("f"));
  }
}
