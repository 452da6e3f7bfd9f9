package dev.fanin.feedparse;

import java.util.Locale;
import java.util.Set;

/** Turns the HTML that feeds put in titles and summaries into trimmed plain text. */
final class HtmlText {

  // tags after which running text would otherwise glue two words together
  private static final Set<String> BREAKING = Set.of("address", "article", "aside", "blockquote", "br", "dd",
      "div", "dl", "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
      "img", "li", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul");

  private HtmlText() {
  }

  /** Plain text of an HTML fragment: tags dropped (script and style with their content), references decoded. */
  static String toText(String html) {
    if (html == null) {
      return null;
    }
    if (html.indexOf('<') < 0 && html.indexOf('&') < 0) {
      return collapse(html);
    }
    StringBuilder out = new StringBuilder(html.length());
    int i = 0;
    int n = html.length();
    while (i < n) {
      int run = i;
      while (i < n && html.charAt(i) != '<' && html.charAt(i) != '&') {
        i++;
      }
      out.append(html, run, i);
      if (i == n) {
        break;
      }
      if (html.charAt(i) == '&') {
        i = decodeReference(html, i, out);
        continue;
      }
      int end = skipMarkup(html, i, out);
      if (end > i) {
        i = end;
      } else {
        out.append('<');
        i++;
      }
    }
    return collapse(out.toString());
  }

  /** Whitespace runs (no-break spaces included) become one space; blank becomes null. */
  static String collapse(String text) {
    if (text == null) {
      return null;
    }
    if (isCollapsed(text)) {
      return text.isEmpty() ? null : text;
    }
    StringBuilder out = new StringBuilder(text.length());
    boolean space = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (isSpace(c)) {
        space = out.length() > 0;
      } else {
        if (space) {
          out.append(' ');
          space = false;
        }
        out.append(c);
      }
    }
    return out.length() == 0 ? null : out.toString();
  }

  /** True when no space needs trimming or merging and no other whitespace needs replacing. */
  private static boolean isCollapsed(String text) {
    int n = text.length();
    if (n > 0 && (isSpace(text.charAt(0)) || isSpace(text.charAt(n - 1)))) {
      return false;
    }
    boolean previousSpace = false;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      boolean space = isSpace(c);
      if (space && (c != ' ' || previousSpace)) {
        return false;
      }
      previousSpace = space;
    }
    return true;
  }

  private static boolean isSpace(char c) {
    if (c < 0x80) {
      return c <= ' ';
    }
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }

  /** Escapes text so that {@link #toText} gives it back unchanged. */
  static void escapeInto(CharSequence text, StringBuilder out) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        default -> out.append(c);
      }
    }
  }

  /** Index after the tag, comment or declaration at {@code start}, or {@code start} when it is a literal '<'. */
  private static int skipMarkup(String s, int start, StringBuilder out) {
    int n = s.length();
    if (start + 1 >= n) {
      return start;
    }
    char next = s.charAt(start + 1);
    if (s.startsWith("<!--", start)) {
      int end = s.indexOf("-->", start + 4);
      return end < 0 ? n : end + 3;
    }
    if (next == '!' || next == '?') {
      int end = s.indexOf('>', start);
      return end < 0 ? start : end + 1;
    }
    boolean closing = next == '/';
    int nameStart = closing ? start + 2 : start + 1;
    if (nameStart >= n || !isAsciiLetter(s.charAt(nameStart))) {
      return start;
    }
    int nameEnd = nameStart;
    while (nameEnd < n && (Character.isLetterOrDigit(s.charAt(nameEnd)) || s.charAt(nameEnd) == ':'
        || s.charAt(nameEnd) == '-')) {
      nameEnd++;
    }
    int end = tagEnd(s, nameEnd);
    if (end < 0) {
      return start;
    }
    String name = s.substring(nameStart, nameEnd).toLowerCase(Locale.ROOT);
    int colon = name.indexOf(':');
    if (colon >= 0) {
      name = name.substring(colon + 1);
    }
    if (!closing && (name.equals("script") || name.equals("style")) && s.charAt(end - 2) != '/') {
      int close = indexOfIgnoreCase(s, "</" + name, end);
      if (close < 0) {
        return n;
      }
      int closeEnd = s.indexOf('>', close);
      return closeEnd < 0 ? n : closeEnd + 1;
    }
    if (BREAKING.contains(name)) {
      out.append(' ');
    }
    return end;
  }

  /**
   * Index after the '>' closing a tag whose name ends at {@code from}, or -1. As in HTML, a quote only opens a
   * value right after '=', so a stray quote inside an unquoted value does not swallow the rest of the text.
   */
  private static int tagEnd(String s, int from) {
    char quote = 0;
    char previous = ' ';
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
          previous = c;
        }
        continue;
      }
      if ((c == '"' || c == '\'') && previous == '=') {
        quote = c;
      } else if (c == '>') {
        return i + 1;
      } else if (c == '<') {
        return -1;
      }
      if (!Character.isWhitespace(c)) {
        previous = c;
      }
    }
    return -1;
  }

  private static int decodeReference(String s, int amp, StringBuilder out) {
    int semi = s.indexOf(';', amp + 1);
    if (semi < 0 || semi - amp > 33) {
      out.append('&');
      return amp + 1;
    }
    String body = s.substring(amp + 1, semi);
    int cp = -1;
    if (body.startsWith("#x") || body.startsWith("#X")) {
      cp = parseCodePoint(body.substring(2), 16);
    } else if (body.startsWith("#")) {
      cp = parseCodePoint(body.substring(1), 10);
    } else if (!body.isEmpty() && isAsciiLetter(body.charAt(0))) {
      cp = HtmlEntities.codePoint(body);
    }
    if (cp < 0) {
      out.append('&');
      return amp + 1;
    }
    out.appendCodePoint(cp);
    return semi + 1;
  }

  /** The code point of a numeric reference, U+FFFD for one that names no character, -1 if not a number. */
  static int parseCodePoint(String digits, int radix) {
    if (digits.isEmpty() || digits.length() > 8) {
      return -1;
    }
    int value;
    try {
      value = Integer.parseInt(digits, radix);
    } catch (NumberFormatException e) {
      return -1;
    }
    if (value < 0) {
      return -1;
    }
    if (value == 0 || value > Character.MAX_CODE_POINT || (value >= 0xD800 && value <= 0xDFFF)) {
      return 0xFFFD;
    }
    return value;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static int indexOfIgnoreCase(String s, String needle, int from) {
    for (int i = from; i + needle.length() <= s.length(); i++) {
      if (s.regionMatches(true, i, needle, 0, needle.length())) {
        return i;
      }
    }
    return -1;
  }
}
