package dev.fanin.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The merged timeline built as feeds arrive keeps a few times the limit, and equals a merge of everything. */
class TimelineCollectorTest {
  static List<FeedItemRef> feed(Random random, int source, int items) {
    List<FeedItemRef> out = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      // stories shared across sources (same id) and dates that collide
      int story = random.nextInt(3000);
      Instant date = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(random.nextInt(100_000));
      JsonObject json = new JsonObject().put("id", "story-" + story).put("title", "t" + story + "/" + source);
      out.add(new FeedItemRef("story-" + story, "https://news.example/" + (story % 2500), date, json));
    }
    return out;
  }

  @Test
  void holdsAFewTimesTheLimitAndGivesBackTheRest() {
    Random random = new Random(7);
    TimelineCollector collector = new TimelineCollector(50);
    List<Timeline.SourceItems> all = new ArrayList<>();
    long offered = 0;
    long released = 0;
    for (int s = 0; s < 100; s++) {
      List<FeedItemRef> items = feed(random, s, 1000);
      all.add(new Timeline.SourceItems("s" + s, items));
      offered += items.stream().mapToLong(FeedItemRef::bytes).sum();
      released += collector.add("s" + s, s, items);
    }
    long kept = offered - released;
    long perItem = all.get(0).items().get(0).bytes();
    assertEquals(true, kept <= 200 * perItem * 2, "kept " + kept + " bytes, about " + kept / perItem + " items");
    JsonArray merged = collector.result();
    assertEquals(50, merged.size());
    assertEquals(reference(all, 50), merged);
  }

  /** Everything sorted, then the first occurrence of each id and link, up to the limit. */
  static JsonArray reference(List<Timeline.SourceItems> sources, int limit) {
    record E(String source, int s, int i, FeedItemRef item) {}
    List<E> all = new ArrayList<>();
    for (int s = 0; s < sources.size(); s++) {
      List<FeedItemRef> items = sources.get(s).items();
      for (int i = 0; i < items.size(); i++) {
        all.add(new E(sources.get(s).sourceId(), s, i, items.get(i)));
      }
    }
    all.sort((a, b) -> {
      int c = b.item().date().compareTo(a.item().date());
      return c != 0 ? c : a.s() != b.s() ? Integer.compare(a.s(), b.s()) : Integer.compare(a.i(), b.i());
    });
    java.util.Set<String> ids = new java.util.HashSet<>();
    java.util.Set<String> links = new java.util.HashSet<>();
    JsonArray out = new JsonArray();
    for (E e : all) {
      if (out.size() >= limit) {
        break;
      }
      if (ids.contains(e.item().id()) || links.contains(e.item().canonicalLink())) {
        continue;
      }
      ids.add(e.item().id());
      links.add(e.item().canonicalLink());
      out.add(e.item().json().copy().put("source", e.source()));
    }
    return out;
  }
}
