package dev.fanin.feedparse;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One entry of a feed, normalised: plain-text title, summary and author, absolute link, dates as ISO-8601 UTC
 * ({@code 2024-01-02T03:04:05Z}). Every field but {@code id} and {@code categories} may be null.
 */
public record FeedItem(String id, String title, String link, String published, String updated, String author,
    String summary, List<String> categories) {

  public FeedItem {
    categories = categories == null ? List.of() : List.copyOf(categories);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("title", title)
        .put("link", link)
        .put("published", published)
        .put("updated", updated)
        .put("author", author)
        .put("summary", summary)
        .put("categories", new JsonArray(List.copyOf(categories)));
  }
}
