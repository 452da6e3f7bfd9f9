package dev.fanin.feeds;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A scheduled feed's memory of the items it published: by id and canonical link, bounded per feed. */
class SeenItemsTest {
  static JsonObject item(String id, String link) {
    JsonObject item = new JsonObject().put("title", "t " + id).put("source", "s");
    if (id != null) {
      item.put("id", id);
    }
    if (link != null) {
      item.put("link", link);
    }
    return item;
  }

  static JsonArray items(JsonObject... items) {
    JsonArray array = new JsonArray();
    for (JsonObject item : items) {
      array.add(item);
    }
    return array;
  }

  static List<String> ids(JsonArray items) {
    return items.stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  @Test
  void theFirstRunPublishesEverythingLaterRunsOnlyWhatIsNew() {
    SeenItems seen = new SeenItems();
    JsonObject a = item("a", "https://example.com/a");
    JsonObject b = item("b", "https://example.com/b");
    JsonArray first = seen.onlyNew("f", items(a, b));
    assertEquals(List.of("a", "b"), ids(first));
    assertEquals(a, first.getJsonObject(0), "items pass through unchanged");
    assertEquals(List.of("c"), ids(seen.onlyNew("f", items(item("c", null), a, b))));
    assertEquals(List.of(), ids(seen.onlyNew("f", items(b))));
  }

  @Test
  void theSameStoryUnderAnotherIdIsKnownByItsCanonicalLink() {
    SeenItems seen = new SeenItems();
    seen.onlyNew("f", items(item("1", "https://News.example.com:443/story?id=7&utm_source=rss#top")));
    assertEquals(List.of("2"), ids(seen.onlyNew("f", items(
        item("other-id", "https://news.example.com/story?id=7&fbclid=x"), item("2", "https://news.example.com/story?id=8")))));
    assertEquals(List.of(), ids(seen.onlyNew("f", items(item("1", "https://elsewhere.example.com/")))), "and by its id");
  }

  @Test
  void aRepeatWithinOneRunIsPublishedOnce() {
    SeenItems seen = new SeenItems();
    assertEquals(List.of("x", "y"), ids(seen.onlyNew("f", items(item("x", null), item("x", null), item("y", null)))));
  }

  @Test
  void eachFeedRemembersAtMostItsBoundTheOldestForgottenFirst() {
    SeenItems seen = new SeenItems(3);
    seen.onlyNew("f", items(item("1", null), item("2", null), item("3", null), item("4", null)));
    assertEquals(3, seen.size("f"));
    assertEquals(List.of("1"), ids(seen.onlyNew("f", items(item("1", null), item("4", null)))),
        "the oldest was forgotten, so it is new again");
    assertEquals(List.of(), ids(seen.onlyNew("f", items(item("3", null), item("4", null)))));
    assertEquals(SeenItems.MAX_PER_FEED, 10_000, "docs/api.md: the last 10,000 per feed are remembered");
  }

  @Test
  void itemsPublishedByAnotherNodeCountAsPublished() {
    SeenItems seen = new SeenItems();
    JsonArray heard = items(item("a", null), item(null, "http://example.com/b"));
    heard.add("not an item");
    seen.remember("f", heard);
    seen.remember("f", null);
    assertEquals(List.of("c"), ids(seen.onlyNew("f", items(item("a", null), item("b", "http://EXAMPLE.com/b"),
        item("c", null)))));
  }

  @Test
  void feedsAreRememberedApartAndForgottenWhole() {
    SeenItems seen = new SeenItems();
    seen.onlyNew("f", items(item("a", null)));
    assertEquals(List.of("a"), ids(seen.onlyNew("g", items(item("a", null)))));
    seen.forget("f");
    assertEquals(0, seen.size("f"));
    assertEquals(List.of("a"), ids(seen.onlyNew("f", items(item("a", null)))));
  }
}
