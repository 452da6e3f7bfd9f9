package dev.fanin.write;

/** Text made safe to put into HTML (or an attribute in double quotes): &, <, > and " escaped. */
public final class HtmlEscape {
  private HtmlEscape() {}

  public static String of(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
