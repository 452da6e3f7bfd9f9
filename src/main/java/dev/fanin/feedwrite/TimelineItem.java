package dev.fanin.feedwrite;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One item of a merged timeline as the feed writers take it, its text already cleaned of what XML
 * cannot hold. Title, summary and author are plain text: the feed parser turned upstream HTML into
 * text, so no markup of the upstream's reaches a reader.
 *
 * @param id the item's id from the merge (guid, id, else its link, else a hash): the same upstream
 *     item keeps it from run to run
 * @param source the id of the definition's source it came from
 */
public record TimelineItem(String id, String title, String link, Instant published, Instant updated, String author,
    String summary, List<String> categories, String source) {

  /** Reads an item of the merged {@code items} (see {@code dev.fanin.feedparse.FeedItem#toJson}). */
  public static TimelineItem of(JsonObject item) {
    List<String> categories = new ArrayList<>();
    JsonArray tags = item.getJsonArray("categories");
    if (tags != null) {
      for (Object tag : tags) {
        if (tag instanceof String s && TextChars.clean(s) != null && !TextChars.clean(s).isBlank()) {
          categories.add(TextChars.clean(s));
        }
      }
    }
    return new TimelineItem(TextChars.clean(item.getString("id")), text(item, "title"), text(item, "link"),
        date(item.getString("published")), date(item.getString("updated")), text(item, "author"),
        text(item, "summary"), List.copyOf(categories), TextChars.clean(item.getString("source")));
  }

  /** Its newest date: updated, else published, else null. */
  public Instant latest() {
    if (updated != null && (published == null || updated.isAfter(published))) {
      return updated;
    }
    return published;
  }

  private static String text(JsonObject item, String field) {
    String value = TextChars.clean(item.getString(field));
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static Instant date(String value) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
