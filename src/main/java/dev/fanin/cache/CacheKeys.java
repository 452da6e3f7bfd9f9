package dev.fanin.cache;

import dev.fanin.fetch.FetchRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The cache key of a request: method, URL, and the request headers that change the answer
 * (Accept, Accept-Language, and a hash of Authorization, so answers to different credentials are
 * never shared). Upstream Vary adds more, per stored variant.
 */
final class CacheKeys {
  private CacheKeys() {}

  static String of(FetchRequest request) {
    String auth = request.headers().get("Authorization");
    return request.method().name() + ' ' + request.url()
        + "\nA:" + nullToEmpty(request.headers().get("Accept"))
        + "\nL:" + nullToEmpty(request.headers().get("Accept-Language"))
        + "\nZ:" + (auth == null ? "" : sha256(auth));
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
