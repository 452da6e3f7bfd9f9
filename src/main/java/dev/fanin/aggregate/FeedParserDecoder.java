package dev.fanin.aggregate;

import dev.fanin.feedparse.CanonicalLinks;
import dev.fanin.feedparse.FeedItem;
import dev.fanin.feedparse.FeedParseException;
import dev.fanin.feedparse.FeedParser;
import dev.fanin.feedparse.ParsedFeed;
import dev.fanin.fetch.ErrorKind;
import dev.fanin.fetch.FetchException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Decodes feeds with fanin's own parser (dev.fanin.feedparse) into data and mergeable items. */
public final class FeedParserDecoder implements FeedDecoder {
  private final FeedParser parser;

  public FeedParserDecoder(int maxBytes) {
    this.parser = new FeedParser(maxBytes, FeedParser.DEFAULT_MAX_ITEMS);
  }

  @Override
  public boolean looksLikeFeed(Buffer body, String contentType) {
    if (body == null || body.length() == 0) {
      return false;
    }
    // the first bytes are enough; no need to copy a large body
    int head = Math.min(body.length(), 2048);
    return FeedParser.looksLikeFeed(body.getBytes(0, head), contentType);
  }

  @Override
  public Decoded decode(Buffer body, String contentType, String url) {
    ParsedFeed feed;
    try {
      feed = parser.parse(body.getBytes(), contentType, url);
    } catch (FeedParseException e) {
      throw new FetchException(ErrorKind.INVALID_BODY, "not a readable feed: " + e.getMessage());
    }
    JsonObject json = feed.toJson();
    List<FeedItemRef> items = new ArrayList<>(feed.items().size());
    for (int i = 0; i < feed.items().size(); i++) {
      FeedItem item = feed.items().get(i);
      JsonObject itemJson = json.getJsonArray("items").getJsonObject(i);
      items.add(new FeedItemRef(item.id(), CanonicalLinks.of(item.link()), Timeline.dateOf(itemJson), itemJson));
    }
    return new Decoded(new SourceData.Json(json.toBuffer()), List.of(), List.copyOf(items));
  }
}
