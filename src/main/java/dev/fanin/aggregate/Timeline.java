package dev.fanin.aggregate;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Merges the items of several feeds into one timeline: newest first (stable for equal dates, items
 * without a date last), deduplicated across sources by id and by canonical link, each item tagged
 * with the id of its source.
 */
public final class Timeline {
  private static final Set<String> TRACKING = Set.of("fbclid", "gclid", "dclid", "msclkid", "mc_cid",
      "mc_eid", "_hsenc", "_hsmi", "igshid", "yclid", "ref_src", "spm");

  private Timeline() {}

  /** One source's items, in document order. */
  public record SourceItems(String sourceId, List<FeedItemRef> items) {}

  /** Merges whole feeds at once (see {@link TimelineCollector}, which does it as they arrive). */
  public static JsonArray merge(List<SourceItems> sources, int limit) {
    TimelineCollector collector = new TimelineCollector(limit);
    for (int i = 0; i < sources.size(); i++) {
      collector.add(sources.get(i).sourceId(), i, sources.get(i).items());
    }
    return collector.result();
  }

  /**
   * A link in canonical form: lower-case scheme and host, no default port, no fragment, and no
   * tracking parameters (utm_*, fbclid, gclid and the like). Null for a link that is not a URL.
   */
  public static String canonicalLink(String link) {
    if (link == null || link.isBlank()) {
      return null;
    }
    try {
      URI uri = new URI(link.trim());
      if (uri.getScheme() == null || uri.getRawAuthority() == null) {
        return link.trim();
      }
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      String host = uri.getHost() == null ? uri.getRawAuthority().toLowerCase(Locale.ROOT)
          : uri.getHost().toLowerCase(Locale.ROOT);
      int port = uri.getPort();
      boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
      StringBuilder query = new StringBuilder();
      if (uri.getRawQuery() != null) {
        for (String pair : uri.getRawQuery().split("&")) {
          String name = pair.split("=", 2)[0].toLowerCase(Locale.ROOT);
          if (pair.isEmpty() || name.startsWith("utm_") || TRACKING.contains(name)) {
            continue;
          }
          query.append(query.length() == 0 ? "?" : "&").append(pair);
        }
      }
      String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      return scheme + "://" + host + (defaultPort ? "" : ":" + port) + path + query;
    } catch (URISyntaxException e) {
      return link.trim();
    }
  }

  /** The item's date for ordering: published, else updated, else null. */
  public static Instant dateOf(JsonObject item) {
    for (String field : new String[] {"published", "updated"}) {
      String value = item.getString(field);
      if (value != null) {
        try {
          return Instant.parse(value);
        } catch (RuntimeException e) {
          // not ISO-8601: try the next field
        }
      }
    }
    return null;
  }
}
