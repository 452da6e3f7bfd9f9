package dev.fanin.feeds;

import dev.fanin.feedparse.CanonicalLinks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The items each scheduled feed has published, so that a run carries only new ones: an item is the
 * same item again when its id or its canonical link was seen. Bounded per feed, the oldest
 * forgotten first. Confined to the registry's event loop.
 */
final class SeenItems {
  static final int MAX_PER_FEED = 10_000;
  private final int maxPerFeed;
  private final Map<String, LinkedHashSet<String>> seen = new HashMap<>();

  SeenItems() {
    this(MAX_PER_FEED);
  }

  SeenItems(int maxPerFeed) {
    this.maxPerFeed = maxPerFeed;
  }

  /** The items not published before, in their order; from now on they count as published. */
  JsonArray onlyNew(String feed, JsonArray items) {
    LinkedHashSet<String> known = seen.computeIfAbsent(feed, n -> new LinkedHashSet<>());
    JsonArray fresh = new JsonArray();
    for (int i = 0; i < items.size(); i++) {
      JsonObject item = items.getJsonObject(i);
      List<String> keys = keys(item);
      if (keys.stream().anyMatch(known::contains)) {
        continue;
      }
      fresh.add(item);
      known.addAll(keys);
    }
    trim(known);
    return fresh;
  }

  /** Counts the items of a run published elsewhere (by the node polling the feed) as published. */
  void remember(String feed, JsonArray items) {
    if (items == null) {
      return;
    }
    LinkedHashSet<String> known = seen.computeIfAbsent(feed, n -> new LinkedHashSet<>());
    for (int i = 0; i < items.size(); i++) {
      if (items.getValue(i) instanceof JsonObject item) {
        known.addAll(keys(item));
      }
    }
    trim(known);
  }

  void forget(String feed) {
    seen.remove(feed);
  }

  /** How many ids and links are remembered for a feed. */
  int size(String feed) {
    LinkedHashSet<String> known = seen.get(feed);
    return known == null ? 0 : known.size();
  }

  /** An item is known by its id and by its canonical link. */
  private static List<String> keys(JsonObject item) {
    List<String> keys = new ArrayList<>(2);
    if (item.getValue("id") instanceof String id) {
      keys.add("id:" + id);
    }
    String canonical = item.getValue("link") instanceof String link ? CanonicalLinks.of(link) : null;
    if (canonical != null) {
      keys.add("link:" + canonical);
    }
    return keys;
  }

  private void trim(LinkedHashSet<String> known) {
    while (known.size() > maxPerFeed) {
      known.remove(known.iterator().next());
    }
  }
}
