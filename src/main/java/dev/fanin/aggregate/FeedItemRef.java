package dev.fanin.aggregate;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One item of a parsed feed, as the merged timeline needs it: identity, canonical link, date, and
 * the item's JSON.
 *
 * @param date published, else updated; null when the item has neither
 */
public record FeedItemRef(String id, String canonicalLink, Instant date, JsonObject json) {}
