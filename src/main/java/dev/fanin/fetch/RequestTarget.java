package dev.fanin.fetch;

import io.vertx.core.http.RequestOptions;
import java.net.URI;

/** Where an upstream request goes: host, port, TLS and path with query, from the source's URL. */
final class RequestTarget {
  private RequestTarget() {}

  /**
   * Where a request goes, from the URL the definition parser already parsed and checked: the same as
   * {@code setAbsoluteURI(url.toString())}, without printing the URL and parsing it again as a
   * {@code java.net.URL} for every attempt (2 % of a small aggregation's CPU).
   */
  static RequestOptions of(URI url) {
    boolean ssl = "https".equalsIgnoreCase(url.getScheme());
    String path = url.getRawPath();
    String query = url.getRawQuery();
    String target = path == null || path.isEmpty() ? "/" : path;
    return new RequestOptions().setHost(url.getHost()).setPort(Origins.port(url))
        .setSsl(ssl).setURI(query == null ? target : target + "?" + query);
  }
}
