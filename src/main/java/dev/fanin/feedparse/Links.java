package dev.fanin.feedparse;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Resolves links against a base (xml:base or the feed's URL), leniently, and drops script-bearing ones. */
final class Links {

  private Links() {
  }

  /**
   * The absolute form of {@code ref} against {@code base}; {@code ref} itself when either cannot be read as a
   * URI; null for a blank reference or one with a scheme that can carry script.
   */
  static String resolve(String base, String ref) {
    if (ref == null) {
      return null;
    }
    String r = ref.trim();
    if (r.isEmpty() || unsafe(r)) {
      return null;
    }
    URI refUri = parse(r);
    if (refUri == null) {
      return r;
    }
    if (refUri.isAbsolute() || base == null || base.isBlank()) {
      return refUri.isAbsolute() ? refUri.toString() : r;
    }
    URI baseUri = parse(base.trim());
    if (baseUri == null || !baseUri.isAbsolute() || baseUri.isOpaque()) {
      return r;
    }
    if (baseUri.getRawAuthority() != null && (baseUri.getRawPath() == null || baseUri.getRawPath().isEmpty())) {
      // java.net.URI would glue "http://host" and "x" into "http://hostx"
      baseUri = parse(baseUri + "/");
      if (baseUri == null) {
        return r;
      }
    }
    try {
      if (r.startsWith("?")) {
        // RFC 3986 keeps the base's whole path for a query-only reference; RFC 2396, which URI follows, does not
        String b = baseUri.toString();
        int cut = b.indexOf('?') >= 0 ? b.indexOf('?') : b.indexOf('#');
        return (cut >= 0 ? b.substring(0, cut) : b) + r;
      }
      return baseUri.resolve(refUri).toString();
    } catch (IllegalArgumentException e) {
      return r;
    }
  }

  /** Resolves a base (xml:base) against its parent's; keeps the parent when the new one is unusable. */
  static String resolveBase(String parent, String xmlBase) {
    if (xmlBase == null) {
      return parent;
    }
    String resolved = resolve(parent, xmlBase);
    if (resolved == null) {
      return parent;
    }
    URI uri = parse(resolved);
    return uri != null && uri.isAbsolute() ? resolved : parent;
  }

  static boolean isAbsoluteHttp(String value) {
    if (value == null) {
      return false;
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    return (v.startsWith("http://") || v.startsWith("https://")) && v.indexOf(' ') < 0 && v.length() > 8;
  }

  /** Whether the scheme (as a browser reads it: control characters and spaces ignored) can carry script. */
  private static boolean unsafe(String ref) {
    int colon = ref.indexOf(':');
    if (colon < 0 || colon > 40) {
      return false;
    }
    StringBuilder scheme = new StringBuilder(colon);
    for (int i = 0; i < colon; i++) {
      char c = ref.charAt(i);
      if (c > ' ') {
        scheme.append(Character.toLowerCase(c));
      }
    }
    String s = scheme.toString();
    return s.equals("javascript") || s.equals("vbscript") || s.equals("data");
  }

  /** A URI from lenient text: spaces and other characters URI rejects are percent-encoded first. */
  private static URI parse(String s) {
    try {
      return new URI(s);
    } catch (URISyntaxException e) {
      try {
        return new URI(encodeIllegal(s));
      } catch (URISyntaxException again) {
        return null;
      }
    }
  }

  private static String encodeIllegal(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' || c == '{'
          || c == '|' || c == '}' || c == 0x7F) {
        for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
          out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
              .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
        }
      } else if (c == '%' && !(i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2)))) {
        out.append("%25");
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0;
  }
}
