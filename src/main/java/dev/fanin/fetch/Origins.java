package dev.fanin.fetch;

import java.net.URI;
import java.util.Locale;

/** Names an origin as scheme://host:port with the default port made explicit. */
public final class Origins {
  private Origins() {}

  public static String of(URI url) {
    String scheme = url.getScheme().toLowerCase(Locale.ROOT);
    return scheme + "://" + url.getHost().toLowerCase(Locale.ROOT) + ":" + port(url);
  }

  public static int port(URI url) {
    if (url.getPort() >= 0) {
      return url.getPort();
    }
    return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
  }
}
