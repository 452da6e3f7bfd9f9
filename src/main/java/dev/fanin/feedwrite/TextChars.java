package dev.fanin.feedwrite;

/**
 * Drops the characters XML 1.0 cannot hold (controls other than tab, CR and LF, lone surrogates,
 * U+FFFE and U+FFFF): parsed upstream text may carry them (JSON Feed allows \u0001 and lone
 * surrogates), and no escaping makes them legal.
 */
final class TextChars {
  private TextChars() {}

  static String clean(String text) {
    if (text == null) {
      return null;
    }
    int n = text.length();
    int i = 0;
    while (i < n && legalAt(text, i)) {
      i += Character.charCount(text.codePointAt(i));
    }
    if (i == n) {
      return text;
    }
    StringBuilder out = new StringBuilder(n).append(text, 0, i);
    while (i < n) {
      int cp = text.codePointAt(i);
      if (legalAt(text, i)) {
        out.appendCodePoint(cp);
      }
      i += Character.charCount(cp);
    }
    return out.toString();
  }

  private static boolean legalAt(String text, int i) {
    int cp = text.codePointAt(i);
    if (cp < 0x20) {
      return cp == 0x9 || cp == 0xA || cp == 0xD;
    }
    if (cp <= 0xD7FF) {
      return true;
    }
    if (cp < 0xE000) {
      return false; // a surrogate codePointAt could not pair
    }
    return cp <= 0xFFFD || cp >= 0x10000;
  }
}
