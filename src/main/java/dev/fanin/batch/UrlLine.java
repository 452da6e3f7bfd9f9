package dev.fanin.batch;

/**
 * One line of a URL list: "URL", or "ID&lt;TAB&gt;URL". Blank lines and lines starting with # (after
 * leading blanks) hold no source. An id not given is the line's number.
 */
record UrlLine(String id, String url) {
  /** Ids are at most 64 characters and URLs 8,192, so any longer line is not one. */
  static final int MAX_CHARS = 64 + 1 + 8192 + 256;

  /** The source a line names, or null when it names none. */
  static UrlLine parse(String line, long number) {
    String s = line.strip();
    if (s.isEmpty() || s.charAt(0) == '#') {
      return null;
    }
    int tab = s.indexOf('\t');
    if (tab < 0) {
      return new UrlLine(Long.toString(number), s);
    }
    return new UrlLine(s.substring(0, tab).strip(), s.substring(tab + 1).strip());
  }
}
