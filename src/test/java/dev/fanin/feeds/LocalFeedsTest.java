package dev.fanin.feeds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.config.ConfigLoader;
import dev.fanin.config.FaninConfig;
import dev.fanin.definition.DefinitionParser;
import dev.fanin.definition.InvalidDefinitionException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** A node's copy of the registry parses each definition once. */
class LocalFeedsTest {
  static final FaninConfig CONFIG = ConfigLoader.fromJson(new JsonObject());
  final LocalFeeds local = new LocalFeeds(new FeedDefinitionParser(new DefinitionParser(CONFIG), CONFIG.feeds()),
      null, null, false, new FeedCosts(new ClientSettings(() -> CONFIG.security())));

  static JsonObject definition(String url) {
    return new JsonObject().put("sources", new JsonArray().add(new JsonObject().put("id", "a").put("url", url)));
  }

  @Test
  void aDefinitionIsParsedOncePerVersionAndEtag() {
    FeedRecord v1 = FeedRecord.live("f", null, definition("http://127.0.0.1:9/a"), false);
    Feed feed = local.feed(v1);
    assertEquals(FeedDefinitionParser.etag(v1.definition()), feed.etag());
    assertSame(feed, local.feed(v1));
    assertSame(feed, local.feed(FeedRecord.decode("f", v1.encode())), "the same version read from the map");
    FeedRecord same = FeedRecord.live("f", v1, definition("http://127.0.0.1:9/a"), false);
    assertSame(feed, local.feed(same), "a new revision of the same definition");
    Feed changed = local.feed(FeedRecord.live("f", same, definition("http://127.0.0.1:9/b"), false));
    assertNotSame(feed, changed);
    assertTrue(changed.definition().encode().contains("/b"));
    Feed operator = local.feed(FeedRecord.live("f", same, definition("http://127.0.0.1:9/b"), true));
    assertTrue(operator.readOnly(), "read-only is part of what was parsed");
  }

  @Test
  void aFeedParsedAtStartIsNotParsedAgain() {
    JsonObject def = definition("http://127.0.0.1:9/a");
    Feed atStart = new FeedDefinitionParser(new DefinitionParser(CONFIG), CONFIG.feeds()).parse("op", def, true);
    local.remember(atStart);
    assertSame(atStart, local.feed(FeedRecord.live("op", null, def, true)));
  }

  @Test
  void tombstonesHaveNoFeedAndInvalidDefinitionsAreRefused() {
    assertNull(local.feed(null));
    assertNull(local.feed(FeedRecord.tombstone("f", null)));
    FeedRecord invalid = FeedRecord.live("f", null, new JsonObject().put("sources", new JsonArray()), false);
    assertThrows(InvalidDefinitionException.class, () -> local.feed(invalid));
  }
}
