package dev.fanin.aggregate;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One item of a parsed feed, as the merged timeline needs it: identity, canonical link, date, the
 * item's JSON, and about how many bytes of heap it holds (for the byte budget).
 *
 * @param date published, else updated; null when the item has neither
 */
public record FeedItemRef(String id, String canonicalLink, Instant date, JsonObject json, long bytes) {

  public FeedItemRef(String id, String canonicalLink, Instant date, JsonObject json) {
    this(id, canonicalLink, date, json, estimate(json));
  }

  /** A rough count of the heap a JSON value holds: object headers, map entries, UTF-16 strings. */
  static long estimate(Object value) {
    if (value instanceof String s) {
      return 40 + 2L * s.length();
    }
    if (value instanceof JsonObject o) {
      return estimate(o.getMap());
    }
    if (value instanceof JsonArray a) {
      return estimate(a.getList());
    }
    if (value instanceof Map<?, ?> map) {
      long bytes = 64;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        bytes += 32 + estimate(e.getKey()) + estimate(e.getValue());
      }
      return bytes;
    }
    if (value instanceof List<?> list) {
      long bytes = 40;
      for (Object o : list) {
        bytes += 8 + estimate(o);
      }
      return bytes;
    }
    return 16;
  }
}
