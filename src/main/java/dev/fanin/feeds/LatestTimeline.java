package dev.fanin.feeds;

import dev.fanin.aggregate.Timeline;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A scheduled feed's whole merged timeline as of its latest run, for readers of the feed as a feed
 * (a published run carries only the items that are new).
 *
 * @param runAt when that run began (ISO-8601)
 * @param items newest first, as the merge gave them
 */
public record LatestTimeline(String runAt, JsonArray items) {
  /** The most items kept when a timeline is rebuilt from other nodes' runs: merge.limit's bound. */
  static final int MAX_ITEMS = 10_000;

  /**
   * This timeline with a run heard from the node that polls the feed, which carries only its new
   * items: those come first, then the items kept before (one per id), newest first.
   */
  LatestTimeline with(String runAt, JsonArray fresh) {
    List<JsonObject> all = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (JsonArray list : new JsonArray[] {fresh, items}) {
      for (int i = 0; list != null && i < list.size(); i++) {
        JsonObject item = list.getJsonObject(i);
        if (ids.add(String.valueOf(item.getString("id")))) {
          all.add(item);
        }
      }
    }
    all.sort(Comparator.comparing(Timeline::dateOf, Comparator.nullsLast(Comparator.<Instant>reverseOrder())));
    return new LatestTimeline(runAt, new JsonArray(new ArrayList<>(all.subList(0, Math.min(all.size(), MAX_ITEMS)))));
  }
}
