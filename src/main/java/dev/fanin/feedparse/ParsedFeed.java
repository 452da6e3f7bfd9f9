package dev.fanin.feedparse;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** A feed in the one shape every format is read into; {@code updated} is ISO-8601 UTC or null. */
public record ParsedFeed(String title, String link, String updated, List<FeedItem> items) {

  public ParsedFeed {
    items = items == null ? List.of() : List.copyOf(items);
  }

  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    for (FeedItem item : items) {
      array.add(item.toJson());
    }
    return new JsonObject()
        .put("title", title)
        .put("link", link)
        .put("updated", updated)
        .put("items", array);
  }
}
