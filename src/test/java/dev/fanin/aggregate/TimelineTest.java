package dev.fanin.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fanin.feedparse.CanonicalLinks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineTest {
  static FeedItemRef item(String id, String link, String date) {
    JsonObject json = new JsonObject().put("id", id).put("link", link).put("published", date);
    return new FeedItemRef(id, CanonicalLinks.of(link), date == null ? null : Instant.parse(date), json);
  }

  static List<String> ids(JsonArray items) {
    return items.stream().map(o -> ((JsonObject) o).getString("id") + "@" + ((JsonObject) o).getString("source")).toList();
  }

  @Test
  void newestFirstStableForEqualDatesUndatedLast() {
    JsonArray merged = Timeline.merge(List.of(
        new Timeline.SourceItems("a", List.of(item("a1", "http://a/1", "2024-01-01T10:00:00Z"),
            item("a2", "http://a/2", null), item("a3", "http://a/3", "2024-01-01T12:00:00Z"))),
        new Timeline.SourceItems("b", List.of(item("b1", "http://b/1", "2024-01-01T12:00:00Z"),
            item("b2", "http://b/2", "2024-01-02T00:00:00Z")))), 50);
    assertEquals(List.of("b2@b", "a3@a", "b1@b", "a1@a", "a2@a"), ids(merged));
  }

  @Test
  void duplicatesAcrossSourcesGoByIdAndByCanonicalLink() {
    JsonArray merged = Timeline.merge(List.of(
        new Timeline.SourceItems("a", List.of(item("x", "https://News.example.com/story?id=7&utm_source=rss#top", "2024-01-02T00:00:00Z"))),
        new Timeline.SourceItems("b", List.of(item("other-id", "https://news.example.com:443/story?id=7&fbclid=abc", "2024-01-01T00:00:00Z"),
            item("x", "https://elsewhere/x", "2024-01-03T00:00:00Z")))), 50);
    // the newest "x" wins the id; the story a's "x" linked to is then shown once, through b's item
    assertEquals(List.of("x@b", "other-id@b"), ids(merged));
  }

  @Test
  void theLimitCapsTheTimeline() {
    JsonArray merged = Timeline.merge(List.of(new Timeline.SourceItems("a", List.of(
        item("1", "http://a/1", "2024-01-01T00:00:01Z"), item("2", "http://a/2", "2024-01-01T00:00:02Z"),
        item("3", "http://a/3", "2024-01-01T00:00:03Z")))), 2);
    assertEquals(List.of("3@a", "2@a"), ids(merged));
  }
}
