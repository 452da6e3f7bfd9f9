package dev.fanin.cache;

import io.vertx.core.MultiMap;
import java.time.Instant;
import io.netty.handler.codec.DateFormatter;
import java.util.Locale;
import java.util.Date;

/** The Cache-Control, Expires, Date and Age of a response, read as a shared cache does (RFC 9111). */
record CacheControl(boolean noStore, boolean noCache, boolean isPrivate, long maxAgeMs, long sMaxAgeMs,
    long staleIfErrorMs, long expiresMs, long dateMs, long ageMs) {

  static CacheControl of(MultiMap headers) {
    boolean noStore = false;
    boolean noCache = false;
    boolean isPrivate = false;
    long maxAge = -1;
    long sMaxAge = -1;
    long staleIfError = -1;
    for (String header : headers.getAll("Cache-Control")) {
      for (String part : header.split(",")) {
        String d = part.trim().toLowerCase(Locale.ROOT);
        int eq = d.indexOf('=');
        String name = eq < 0 ? d : d.substring(0, eq).trim();
        String value = eq < 0 ? null : d.substring(eq + 1).trim().replace("\"", "");
        switch (name) {
          case "no-store" -> noStore = true;
          case "no-cache" -> noCache = true;
          case "private" -> isPrivate = true;
          case "max-age" -> maxAge = seconds(value);
          case "s-maxage" -> sMaxAge = seconds(value);
          case "stale-if-error" -> staleIfError = seconds(value);
          default -> { }
        }
      }
    }
    if (headers.contains("Pragma") && headers.get("Pragma").toLowerCase(Locale.ROOT).contains("no-cache")
        && !headers.contains("Cache-Control")) {
      noCache = true;
    }
    return new CacheControl(noStore, noCache, isPrivate, maxAge, sMaxAge, staleIfError,
        date(headers.get("Expires")), date(headers.get("Date")), seconds(headers.get("Age")));
  }

  /** How long the response is fresh from the upstream's own headers, or -1 when they don't say. */
  long lifetimeMs() {
    if (sMaxAgeMs >= 0) {
      return sMaxAgeMs;
    }
    if (maxAgeMs >= 0) {
      return maxAgeMs;
    }
    if (expiresMs != Long.MIN_VALUE) {
      long base = dateMs != Long.MIN_VALUE ? dateMs : System.currentTimeMillis();
      return Math.max(0, expiresMs - base);
    }
    return -1;
  }

  private static long seconds(String value) {
    if (value == null) {
      return -1;
    }
    try {
      return Math.max(0, Long.parseLong(value.trim())) * 1000;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long date(String value) {
    if (value == null) {
      return Long.MIN_VALUE;
    }
    Date date = DateFormatter.parseHttpDate(value.trim());
    // an invalid Expires means "already expired" (RFC 9111 §5.3)
    return date == null ? Instant.EPOCH.toEpochMilli() : date.getTime();
  }
}
