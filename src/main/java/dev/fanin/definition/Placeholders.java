package dev.fanin.definition;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Substitutes {name} placeholders. In URLs each value is percent-encoded for its place, so no value
 * can change the scheme, the host, the path structure or the query structure.
 */
public final class Placeholders {
  public static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]{0,31})}");

  private Placeholders() {}

  /** The text would grow past its limit with these values; nothing longer was built. */
  public static final class TooLong extends RuntimeException {
    public TooLong() {
      super(null, null, false, false);
    }
  }

  /** Replaces every {name} whose name has a value, leaving the others as they are. */
  public static String substitute(String text, Map<String, String> values) {
    return substitute(text, values, Integer.MAX_VALUE);
  }

  /** As above; throws {@link TooLong} as soon as the result passes {@code limit} characters. */
  public static String substitute(String text, Map<String, String> values, int limit) {
    return replace(text, PLACEHOLDER, (name, at) -> values.get(name), limit);
  }

  /** As above, for placeholders of another pattern (its group 1 names the value; null leaves it). */
  public static String substitute(String text, Pattern pattern, java.util.function.Function<String, String> valueOf,
      int limit) {
    return replace(text, pattern, (name, at) -> valueOf.apply(name), limit);
  }

  /** As {@link #substituteUrl(String, Map, int)}, for placeholders of another pattern. */
  public static String substituteUrl(String url, Pattern pattern, java.util.function.Function<String, String> valueOf,
      int limit) {
    int pathStart = pathStart(url);
    int queryStart = firstOf(url, pathStart, '?', '#');
    return replace(url, pattern, (name, at) -> {
      String value = valueOf.apply(name);
      return value == null ? null : encode(value, at < queryStart);
    }, limit);
  }

  /**
   * Replaces placeholders in a URL. Placeholders may stand only after the authority; in the path
   * every character but A-Z a-z 0-9 - _ ~ is encoded (dots too, so ".." cannot climb), and in the
   * query and fragment every character but those and "." is encoded.
   */
  public static String substituteUrl(String url, Map<String, String> values) {
    return substituteUrl(url, values, Integer.MAX_VALUE);
  }

  /** As above; throws {@link TooLong} as soon as the URL passes {@code limit} characters. */
  public static String substituteUrl(String url, Map<String, String> values, int limit) {
    int pathStart = pathStart(url);
    int queryStart = firstOf(url, pathStart, '?', '#');
    return replace(url, PLACEHOLDER, (name, at) -> {
      String value = values.get(name);
      if (value == null) {
        return null;
      }
      return encode(value, at < queryStart);
    }, limit);
  }

  /**
   * The longest a text can become: its own characters, with each placeholder of a known parameter
   * counted at that parameter's longest value.
   */
  public static long worstCase(String text, Map<String, Integer> maxLengths) {
    Matcher m = PLACEHOLDER.matcher(text);
    long length = text.length();
    while (m.find()) {
      Integer max = maxLengths.get(m.group(1));
      if (max != null) {
        length += max - (m.end() - m.start());
      }
    }
    return length;
  }

  /** Where the path begins: just after scheme://authority; placeholders before it are refused. */
  public static int pathStart(String url) {
    int scheme = url.indexOf("://");
    int from = scheme < 0 ? 0 : scheme + 3;
    return firstOf(url, from, '/', '?', '#');
  }

  private static int firstOf(String s, int from, char... chars) {
    int best = s.length();
    for (char c : chars) {
      int i = s.indexOf(c, from);
      if (i >= 0 && i < best) {
        best = i;
      }
    }
    return best;
  }

  private static String replace(String text, Pattern pattern, BiFunction<String, Integer, String> valueAt,
      int limit) {
    Matcher m = pattern.matcher(text);
    StringBuilder out = null;
    int last = 0;
    while (m.find()) {
      String value = valueAt.apply(m.group(1), m.start());
      if (value == null) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length() + 16);
      }
      out.append(text, last, m.start()).append(value);
      last = m.end();
      if (out.length() > limit) {
        throw new TooLong();
      }
    }
    if (out == null) {
      return text;
    }
    out.append(text, last, text.length());
    if (out.length() > limit) {
      throw new TooLong();
    }
    return out.toString();
  }

  public static String encode(String value, boolean inPath) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      boolean keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '~' || (c == '.' && !inPath);
      if (keep) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }
}
