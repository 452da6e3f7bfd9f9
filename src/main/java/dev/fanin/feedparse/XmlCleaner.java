package dev.fanin.feedparse;

/**
 * Rewrites decoded XML into what a strict parser accepts without help from a DTD. Everything before the root
 * element goes (XML declaration, DOCTYPE with its internal subset, stray text), so no entity is ever declared;
 * references to HTML entities become numeric references, unknown ones and bare ampersands become text, and
 * characters XML forbids are dropped. CDATA sections and comments are copied as they are.
 */
final class XmlCleaner {

  private XmlCleaner() {
  }

  static String clean(String text) throws FeedParseException {
    int root = rootStart(text);
    StringBuilder out = new StringBuilder(text.length() - root + 64);
    int n = text.length();
    int i = root;
    while (i < n) {
      int run = i;
      while (i < n && isPlain(text.charAt(i)) && text.charAt(i) != '&' && text.charAt(i) != '<') {
        i++;
      }
      out.append(text, run, i);
      if (i == n) {
        break;
      }
      char c = text.charAt(i);
      if (c == '&') {
        i = reference(text, i, out);
      } else if (c == '<') {
        if (text.startsWith("<![CDATA[", i)) {
          i = copyThrough(text, i, "]]>", out);
        } else if (text.startsWith("<!--", i)) {
          i = copyThrough(text, i, "-->", out);
        } else if (i + 1 < n && startsMarkup(text.charAt(i + 1))) {
          out.append(c);
          i++;
        } else {
          out.append("&lt;");
          i++;
        }
      } else {
        i = appendChar(text, i, out);
      }
    }
    return out.toString();
  }

  /** Index of the root element's '<', past the prolog; refuses a document without one. */
  static int rootStart(String text) throws FeedParseException {
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (c == '<' && text.startsWith("<?", i)) {
        i = after(text, i, "?>", "processing instruction");
      } else if (c == '<' && text.startsWith("<!--", i)) {
        i = after(text, i, "-->", "comment");
      } else if (c == '<' && text.regionMatches(true, i, "<!DOCTYPE", 0, 9)) {
        i = afterDoctype(text, i + 9);
      } else if (c == '<' && i + 1 < n && isNameStart(text.charAt(i + 1))) {
        return i;
      } else {
        i++;
      }
    }
    throw new FeedParseException(n == 0 || text.isBlank() ? "empty document" : "no root element");
  }

  private static int after(String text, int from, String end, String what) throws FeedParseException {
    int at = text.indexOf(end, from + 2);
    if (at < 0) {
      throw new FeedParseException("unterminated " + what + " before the root element");
    }
    return at + end.length();
  }

  /** Index after a DOCTYPE declaration, its internal subset included, honouring quotes and comments. */
  private static int afterDoctype(String text, int from) throws FeedParseException {
    boolean subset = false;
    char quote = 0;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (subset && text.startsWith("<!--", i)) {
        int end = text.indexOf("-->", i + 4);
        if (end < 0) {
          break;
        }
        i = end + 2;
      } else if (c == '[') {
        subset = true;
      } else if (c == ']') {
        subset = false;
      } else if (c == '>' && !subset) {
        return i + 1;
      }
    }
    throw new FeedParseException("unterminated DOCTYPE declaration");
  }

  private static int copyThrough(String text, int from, String end, StringBuilder out) {
    int at = text.indexOf(end, from);
    int stop = at < 0 ? text.length() : at + end.length();
    int i = from;
    while (i < stop) {
      int run = i;
      while (i < stop && isPlain(text.charAt(i))) {
        i++;
      }
      out.append(text, run, i);
      if (i < stop) {
        i = appendChar(text, i, out);
      }
    }
    return stop;
  }

  /** A character XML 1.0 allows on its own (surrogates need their pair checked). */
  private static boolean isPlain(char c) {
    return c >= 0x20 && c < 0xD800 || c == '\n' || c == '\r' || c == '\t' || (c >= 0xE000 && c <= 0xFFFD);
  }

  /** Appends the character at {@code i} unless XML 1.0 forbids it; returns the next index. */
  private static int appendChar(String text, int i, StringBuilder out) {
    char c = text.charAt(i);
    if (isPlain(c)) {
      out.append(c);
      return i + 1;
    }
    if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
      out.append(c).append(text.charAt(i + 1));
      return i + 2;
    }
    return i + 1;
  }

  private static int reference(String text, int amp, StringBuilder out) {
    int semi = -1;
    int limit = Math.min(text.length(), amp + 34);
    for (int j = amp + 1; j < limit; j++) {
      char c = text.charAt(j);
      if (c == ';') {
        semi = j;
        break;
      }
      if (!(Character.isLetterOrDigit(c) || c == '#' || c == '_' || c == '-' || c == '.')) {
        break;
      }
    }
    if (semi < 0) {
      out.append("&amp;");
      return amp + 1;
    }
    String body = text.substring(amp + 1, semi);
    if (body.startsWith("#")) {
      boolean hex = body.startsWith("#x") || body.startsWith("#X");
      int cp = HtmlText.parseCodePoint(body.substring(hex ? 2 : 1), hex ? 16 : 10);
      if (cp < 0) {
        out.append("&amp;");
        return amp + 1;
      }
      cp = windows1252(cp);
      if (isXmlChar(cp)) {
        out.append("&#").append(cp).append(';');
      }
      return semi + 1;
    }
    switch (body) {
      case "amp", "lt", "gt", "quot", "apos" -> {
        out.append('&').append(body).append(';');
        return semi + 1;
      }
      default -> {
        int cp = HtmlEntities.codePoint(body);
        if (cp < 0) {
          out.append("&amp;");
          return amp + 1;
        }
        out.append("&#").append(cp).append(';');
        return semi + 1;
      }
    }
  }

  /** References to 128–159 in feeds mean windows-1252's printable characters there, as HTML reads them. */
  private static int windows1252(int cp) {
    if (cp < 0x80 || cp > 0x9F) {
      return cp;
    }
    char mapped = new String(new byte[] {(byte) cp}, FeedCharset.WINDOWS_1252).charAt(0);
    return mapped == '\uFFFD' ? cp : mapped;
  }

  private static boolean isXmlChar(int cp) {
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD)
        || (cp >= 0x10000 && cp <= 0x10FFFF);
  }

  private static boolean startsMarkup(char c) {
    return c == '/' || c == '!' || c == '?' || isNameStart(c);
  }

  private static boolean isNameStart(char c) {
    return Character.isLetter(c) || c == '_' || c == ':';
  }
}
