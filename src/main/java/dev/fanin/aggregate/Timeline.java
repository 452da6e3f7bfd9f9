package dev.fanin.aggregate;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * Merges the items of several feeds into one timeline: newest first (stable for equal dates, items
 * without a date last), deduplicated across sources by id and by canonical link, each item tagged
 * with the id of its source.
 */
public final class Timeline {
  private Timeline() {}

  /** One source's items, in document order. */
  public record SourceItems(String sourceId, List<FeedItemRef> items) {}

  /** Merges whole feeds at once (see {@link TimelineCollector}, which does it as they arrive). */
  public static JsonArray merge(List<SourceItems> sources, int limit) {
    TimelineCollector collector = new TimelineCollector(limit);
    for (int i = 0; i < sources.size(); i++) {
      collector.add(sources.get(i).sourceId(), i, sources.get(i).items());
    }
    return collector.result();
  }

  /** The item's date for ordering: published, else updated, else null. */
  public static Instant dateOf(JsonObject item) {
    for (String field : new String[] {"published", "updated"}) {
      String value = item.getString(field);
      if (value != null) {
        try {
          return Instant.parse(value);
        } catch (RuntimeException e) {
          // not ISO-8601: try the next field
        }
      }
    }
    return null;
  }
}
