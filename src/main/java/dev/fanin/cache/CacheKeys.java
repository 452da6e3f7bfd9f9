package dev.fanin.cache;

import dev.fanin.fetch.FetchRequest;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cache key of a request: method, URL, and a hash over every request header the source sets
 * (names and values). Two requests share an answer, stored or in flight, only when they would
 * send the same request: different credentials (Authorization, Cookie, an API key in any header)
 * never meet. Upstream Vary adds more, per stored variant.
 */
final class CacheKeys {
  private CacheKeys() {}

  static String of(FetchRequest request) {
    String url = request.method().name() + ' ' + request.url();
    MultiMap headers = request.headers();
    if (headers == null || headers.isEmpty()) {
      return url;
    }
    return url + "\nH:" + headerHash(headers);
  }

  /** SHA-256 over the headers, names lower-cased and sorted, values in their order. */
  static String headerHash(MultiMap headers) {
    List<String> lines = new ArrayList<>(headers.size());
    for (Map.Entry<String, String> h : headers) {
      lines.add(h.getKey().toLowerCase(Locale.ROOT) + ':' + h.getValue());
    }
    // a stable sort keeps repeated headers' values in their order
    lines.sort((a, b) -> a.substring(0, a.indexOf(':')).compareTo(b.substring(0, b.indexOf(':'))));
    MessageDigest digest = sha256();
    for (String line : lines) {
      digest.update(line.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) '\n');
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
