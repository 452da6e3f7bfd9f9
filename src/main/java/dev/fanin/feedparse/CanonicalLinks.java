package dev.fanin.feedparse;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * Links in canonical form, so that one story reached through differently written links is known as
 * one: the merged timeline and a scheduled feed's record of items already published both use it.
 */
public final class CanonicalLinks {
  private static final Set<String> TRACKING = Set.of("fbclid", "gclid", "dclid", "msclkid", "mc_cid",
      "mc_eid", "_hsenc", "_hsmi", "igshid", "yclid", "ref_src", "spm");

  private CanonicalLinks() {}

  /**
   * A link in canonical form: lower-case scheme and host, no default port, no fragment, and no
   * tracking parameters (utm_*, fbclid, gclid and the like). Null for a link that is not a URL.
   */
  public static String of(String link) {
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
}
