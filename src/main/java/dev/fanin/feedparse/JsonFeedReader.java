package dev.fanin.feedparse;

import dev.fanin.json.JsonSyntax;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Reads JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1). */
final class JsonFeedReader {

  private final int maxItems;

  JsonFeedReader(int maxItems) {
    this.maxItems = maxItems;
  }

  ParsedFeed read(String json, String baseUrl) throws FeedParseException {
    Object value;
    try {
      value = Json.decodeValue(json);
    } catch (DecodeException e) {
      throw new FeedParseException(JsonSyntax.describe("malformed JSON", e, null), e);
    }
    if (!(value instanceof JsonObject doc)) {
      throw new FeedParseException("not a JSON Feed: the document is not a JSON object");
    }
    String version = string(doc, "version");
    if (version == null || !version.matches("https?://jsonfeed\\.org/version/1(\\.\\d+)?/?")) {
      throw new FeedParseException("not a JSON Feed: version is " + (version == null ? "missing" : version));
    }
    // relative URLs are relative to where the document was fetched; its own feed_url only stands in for that
    String feedBase = baseUrl != null ? baseUrl : Links.resolve(null, string(doc, "feed_url"));
    Object rawItems = doc.getValue("items");
    List<FeedItem> items = new ArrayList<>();
    ItemIds ids = new ItemIds();
    if (rawItems instanceof JsonArray array) {
      for (Object entry : array) {
        if (items.size() >= maxItems) {
          break;
        }
        if (entry instanceof JsonObject item) {
          items.add(item(item, feedBase, ids));
        }
      }
    } else if (rawItems != null) {
      throw new FeedParseException("not a JSON Feed: items is not an array");
    }
    return new ParsedFeed(HtmlText.collapse(string(doc, "title")),
        Links.resolve(feedBase, string(doc, "home_page_url")), null, items);
  }

  private static FeedItem item(JsonObject item, String base, ItemIds ids) {
    String title = HtmlText.collapse(string(item, "title"));
    String link = Links.resolve(base, firstNonNull(string(item, "url"), string(item, "external_url")));
    String published = FeedDates.parse(string(item, "date_published"));
    String updated = FeedDates.parse(string(item, "date_modified"));
    String summary = HtmlText.collapse(string(item, "summary"));
    if (summary == null) {
      summary = HtmlText.collapse(string(item, "content_text"));
    }
    if (summary == null) {
      summary = HtmlText.toText(string(item, "content_html"));
    }
    List<String> categories = new ArrayList<>();
    if (item.getValue("tags") instanceof JsonArray tags) {
      for (Object tag : tags) {
        String t = tag instanceof String s ? HtmlText.collapse(s) : null;
        if (t != null && !categories.contains(t)) {
          categories.add(t);
        }
      }
    }
    String id = ids.assign(HtmlText.collapse(string(item, "id")), link, title,
        published != null ? published : updated, summary);
    return new FeedItem(id, title, link, published, updated, author(item), summary, categories);
  }

  /** 1.1's first of "authors", else 1.0's "author": its name, else its URL. */
  private static String author(JsonObject item) {
    Object person = null;
    if (item.getValue("authors") instanceof JsonArray authors && !authors.isEmpty()) {
      person = authors.getValue(0);
    }
    if (person == null) {
      person = item.getValue("author");
    }
    if (person instanceof JsonObject p) {
      return firstNonNull(HtmlText.collapse(string(p, "name")), HtmlText.collapse(string(p, "url")));
    }
    return null;
  }

  /** A member as text: strings as they are, numbers (some feeds' ids) in their JSON form, anything else null. */
  private static String string(JsonObject o, String key) {
    Object value = o.getValue(key);
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Number n) {
      return n.toString();
    }
    return null;
  }

  private static String firstNonNull(String a, String b) {
    return a != null ? a : b;
  }
}
