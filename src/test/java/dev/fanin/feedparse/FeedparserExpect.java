package dev.fanin.feedparse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Translates the common forms of the feedparser corpus's {@code Expect:} lines (Python expressions over
 * feedparser's result) into checks against a {@link ParsedFeed}. Only an {@code and} chain of comparisons of a
 * known path with a literal is translated; every other clause is counted as untranslated, never guessed at.
 */
final class FeedparserExpect {

  /** What one Expect line came to: clauses checked, clauses not translated, and the checks that failed. */
  record Outcome(int checked, int untranslated, List<String> failures) {
  }

  private FeedparserExpect() {
  }

  static Outcome evaluate(String expression, ParsedFeed feed) {
    List<Object> tokens;
    try {
      tokens = tokenize(expression);
    } catch (IllegalArgumentException e) {
      return new Outcome(0, 1, List.of());
    }
    List<List<Object>> clauses = splitAnd(tokens);
    if (clauses == null) {
      return new Outcome(0, 1, List.of());
    }
    int checked = 0;
    int untranslated = 0;
    List<String> failures = new ArrayList<>();
    for (List<Object> clause : clauses) {
      Check check = translate(clause, feed);
      if (check == null) {
        untranslated++;
      } else if (check != Check.IGNORED) {
        checked++;
        if (!check.passed) {
          failures.add(check.description);
        }
      }
    }
    return new Outcome(checked, untranslated, failures);
  }

  private record Check(boolean passed, String description) {
    static final Check IGNORED = new Check(true, "");
  }

  /** Python's keywords and punctuation, kept as text; string literals as {@link Str}; numbers as Long. */
  private record Str(String value) {
  }

  private record Tuple(List<Long> values) {
  }

  private static Check translate(List<Object> clause, ParsedFeed feed) {
    // "not bozo" is checked by the caller (the parse succeeded); "bozo" is feedparser's own verdict
    if (clause.equals(List.of("not", "bozo")) || clause.equals(List.of("bozo"))) {
      return Check.IGNORED;
    }
    while (clause.size() >= 2 && "(".equals(clause.get(0)) && ")".equals(clause.get(clause.size() - 1))) {
      clause = clause.subList(1, clause.size() - 1);
    }
    int eq = clause.indexOf("==");
    if (eq < 0 || clause.lastIndexOf("==") != eq && !chainOfPaths(clause)) {
      return null;
    }
    // a == b == 'x': every path must equal the literal at the end
    List<List<Object>> sides = new ArrayList<>();
    int from = 0;
    for (int i = 0; i <= clause.size(); i++) {
      if (i == clause.size() || "==".equals(clause.get(i))) {
        sides.add(clause.subList(from, i));
        from = i + 1;
      }
    }
    List<Object> literalSide = sides.get(sides.size() - 1);
    if (literalSide.size() == 0) {
      return null;
    }
    Object literal = literal(literalSide);
    if (literal == null) {
      return null;
    }
    boolean passed = true;
    StringBuilder description = new StringBuilder();
    for (List<Object> side : sides.subList(0, sides.size() - 1)) {
      Actual actual = resolve(side, feed);
      if (actual == null) {
        return null;
      }
      Boolean ok = actual.matches(literal);
      if (ok == null) {
        return null;
      }
      passed &= ok;
      description.append(render(side)).append(": expected ").append(show(literal)).append(", got ")
          .append(actual.value == null ? "null" : "'" + actual.value + "'").append("; ");
    }
    return new Check(passed, description.toString());
  }

  private static boolean chainOfPaths(List<Object> clause) {
    return clause.stream().filter("=="::equals).count() == 2;
  }

  private static Object literal(List<Object> side) {
    if (side.size() == 1 && side.get(0) instanceof Str s) {
      return s;
    }
    if (side.size() == 1 && side.get(0) instanceof Long n) {
      return n;
    }
    if (side.size() > 2 && "(".equals(side.get(0)) && ")".equals(side.get(side.size() - 1))) {
      List<Long> values = new ArrayList<>();
      for (Object t : side.subList(1, side.size() - 1)) {
        if (t instanceof Long n) {
          values.add(n);
        } else if (!",".equals(t)) {
          return null;
        }
      }
      return values.size() == 9 ? new Tuple(values) : null;
    }
    return null;
  }

  /** A value of ours standing for a feedparser path, and how to compare it with feedparser's literal. */
  private record Actual(String value, Mode mode) {
    Boolean matches(Object literal) {
      return switch (mode) {
        case COUNT -> literal instanceof Long n ? Long.valueOf(n).toString().equals(value) : null;
        case DATE -> literal instanceof Tuple t ? isoOf(t).equals(value) : null;
        case EXACT -> literal instanceof Str s ? s.value.equals(value) : null;
        case TEXT -> literal instanceof Str s ? s.value.equals(value) || textOf(s.value).equals(value == null ? "" : value)
            : null;
      };
    }
  }

  private enum Mode {
    EXACT, TEXT, DATE, COUNT
  }

  /** Our value for a feedparser path such as {@code entries[0]['title_detail']['value']}, or null if unmapped. */
  private static Actual resolve(List<Object> side, ParsedFeed feed) {
    List<Object> path = new ArrayList<>();
    if (side.size() >= 4 && "len".equals(side.get(0)) && "(".equals(side.get(1))
        && ")".equals(side.get(side.size() - 1))) {
      return count(side.subList(2, side.size() - 1), feed);
    }
    for (int i = 0; i < side.size(); i++) {
      Object t = side.get(i);
      if (i == 0 && t instanceof String name && name.matches("[a-z_]+")) {
        path.add(name);
      } else if ("[".equals(t) && i + 2 < side.size() && "]".equals(side.get(i + 2))) {
        Object key = side.get(i + 1);
        path.add(key instanceof Str s ? s.value : key);
        i += 2;
      } else if (".".equals(t) && i + 1 < side.size() && side.get(i + 1) instanceof String name) {
        path.add(name);
        i += 1;
      } else {
        return null;
      }
    }
    if (path.isEmpty()) {
      return null;
    }
    if (path.get(0).equals("feed") && path.size() >= 2) {
      return feedField(path.subList(1, path.size()), feed);
    }
    if (path.get(0).equals("entries") && path.size() >= 3 && path.get(1) instanceof Long index) {
      if (index >= feed.items().size()) {
        return new Actual(null, Mode.EXACT);
      }
      return itemField(path.subList(2, path.size()), feed.items().get(index.intValue()));
    }
    return null;
  }

  /** {@code len(entries)} and {@code len(entries[N]['tags'])}. */
  private static Actual count(List<Object> inner, ParsedFeed feed) {
    if (inner.equals(List.of("entries"))) {
      return new Actual(String.valueOf(feed.items().size()), Mode.COUNT);
    }
    boolean tagsOfEntry = inner.size() >= 5 && "entries".equals(inner.get(0)) && "[".equals(inner.get(1))
        && inner.get(2) instanceof Long && "]".equals(inner.get(3))
        && (inner.equals(List.of("entries", "[", inner.get(2), "]", ".", "tags"))
            || inner.equals(List.of("entries", "[", inner.get(2), "]", "[", new Str("tags"), "]")));
    if (!tagsOfEntry) {
      return null;
    }
    int index = ((Long) inner.get(2)).intValue();
    return new Actual(index < feed.items().size()
        ? String.valueOf(feed.items().get(index).categories().size()) : null, Mode.COUNT);
  }

  private static Actual feedField(List<Object> p, ParsedFeed feed) {
    if (p.equals(List.of("title")) || p.equals(List.of("title_detail", "value"))) {
      return new Actual(feed.title(), Mode.TEXT);
    }
    if (p.equals(List.of("link"))) {
      return new Actual(feed.link(), Mode.EXACT);
    }
    if (p.size() == 1 && p.get(0) instanceof String key && key.matches("(updated|modified|date)_parsed")) {
      return new Actual(feed.updated(), Mode.DATE);
    }
    return null;
  }

  private static Actual itemField(List<Object> p, FeedItem item) {
    if (p.equals(List.of("title")) || p.equals(List.of("title_detail", "value"))) {
      return new Actual(item.title(), Mode.TEXT);
    }
    if (p.equals(List.of("link"))) {
      return new Actual(item.link(), Mode.EXACT);
    }
    if (p.equals(List.of("id")) || p.equals(List.of("guid"))) {
      return new Actual(item.id(), Mode.EXACT);
    }
    if (p.equals(List.of("summary")) || p.equals(List.of("description"))
        || p.equals(List.of("summary_detail", "value"))) {
      return new Actual(item.summary(), Mode.TEXT);
    }
    if (p.equals(List.of("author_detail", "name"))) {
      return new Actual(item.author(), Mode.TEXT);
    }
    if (p.equals(List.of("category")) || p.equals(List.of("tags", 0L, "term"))) {
      return new Actual(item.categories().isEmpty() ? null : item.categories().get(0), Mode.TEXT);
    }
    if (p.size() == 3 && p.get(0).equals("tags") && p.get(1) instanceof Long i && p.get(2).equals("term")) {
      return new Actual(i < item.categories().size() ? item.categories().get(i.intValue()) : null, Mode.TEXT);
    }
    if (p.size() == 1 && p.get(0) instanceof String key) {
      switch (key) {
        case "updated_parsed", "modified_parsed", "date_parsed" -> {
          return new Actual(item.updated(), Mode.DATE);
        }
        case "published_parsed", "issued_parsed", "created_parsed" -> {
          return new Actual(item.published(), Mode.DATE);
        }
        default -> {
          return null;
        }
      }
    }
    return null;
  }

  static String isoOf(Tuple t) {
    List<Long> v = t.values;
    return String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02dZ", v.get(0), v.get(1), v.get(2), v.get(3),
        v.get(4), v.get(5));
  }

  /**
   * Feedparser keeps HTML where this package gives plain text, so an expected HTML value is also accepted in its
   * text form: tags dropped, the common references decoded, whitespace collapsed. Written independently of the
   * production code on purpose, and deliberately simple.
   */
  static String textOf(String html) {
    String s = html.replaceAll("(?s)<!--.*?-->", "").replaceAll("(?i)</?(br|p|div|li)\\b[^<>]*>", " ")
        .replaceAll("<[A-Za-z/!][^<>]*>", "");
    s = s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
        .replace("&#39;", "'").replace("&#38;", "&").replace("&#x26;", "&").replace("&amp;", "&");
    return s.replaceAll("[\\s\u00A0]+", " ").trim();
  }

  private static String show(Object literal) {
    if (literal instanceof Str s) {
      return "'" + s.value + "'";
    }
    if (literal instanceof Tuple t) {
      return isoOf(t);
    }
    return String.valueOf(literal);
  }

  private static String render(List<Object> side) {
    StringBuilder out = new StringBuilder();
    for (Object t : side) {
      out.append(t instanceof Str s ? "'" + s.value + "'" : t);
    }
    return out.toString();
  }

  /** Splits on top-level {@code and}; null when the expression has an {@code or}. */
  private static List<List<Object>> splitAnd(List<Object> tokens) {
    if (tokens.contains("or")) {
      return null;
    }
    List<List<Object>> clauses = new ArrayList<>();
    int depth = 0;
    int from = 0;
    for (int i = 0; i < tokens.size(); i++) {
      Object t = tokens.get(i);
      if ("(".equals(t) || "[".equals(t) || "{".equals(t)) {
        depth++;
      } else if (")".equals(t) || "]".equals(t) || "}".equals(t)) {
        depth--;
      } else if ("and".equals(t) && depth == 0) {
        clauses.add(tokens.subList(from, i));
        from = i + 1;
      }
    }
    clauses.add(tokens.subList(from, tokens.size()));
    return clauses;
  }

  private static List<Object> tokenize(String s) {
    List<Object> tokens = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if ((c == 'u' || c == 'b' || c == 'r') && i + 1 < s.length()
          && (s.charAt(i + 1) == '\'' || s.charAt(i + 1) == '"')) {
        i++;
      } else if (c == '\'' || c == '"') {
        String quote = s.startsWith(String.valueOf(c).repeat(3), i) ? String.valueOf(c).repeat(3) : String.valueOf(c);
        int j = i + quote.length();
        StringBuilder value = new StringBuilder();
        while (true) {
          if (j >= s.length()) {
            throw new IllegalArgumentException("unterminated string");
          }
          if (s.startsWith(quote, j)) {
            break;
          }
          char d = s.charAt(j);
          if (d == '\\' && j + 1 < s.length()) {
            char e = s.charAt(j + 1);
            switch (e) {
              case 'n' -> value.append('\n');
              case 't' -> value.append('\t');
              case 'r' -> value.append('\r');
              case 'x' -> {
                value.append((char) Integer.parseInt(s.substring(j + 2, j + 4), 16));
                j += 2;
              }
              case 'u' -> {
                value.append((char) Integer.parseInt(s.substring(j + 2, j + 6), 16));
                j += 4;
              }
              case 'U' -> {
                value.appendCodePoint(Integer.parseInt(s.substring(j + 2, j + 10), 16));
                j += 8;
              }
              default -> value.append(e);
            }
            j += 2;
          } else {
            value.append(d);
            j++;
          }
        }
        tokens.add(new Str(value.toString()));
        i = j + quote.length();
      } else if (Character.isDigit(c)) {
        int j = i;
        while (j < s.length() && Character.isDigit(s.charAt(j))) {
          j++;
        }
        if (j < s.length() && (s.charAt(j) == '.' || Character.isLetter(s.charAt(j)))) {
          throw new IllegalArgumentException("not an integer");
        }
        tokens.add(Long.parseLong(s.substring(i, j)));
        i = j;
      } else if (Character.isLetter(c) || c == '_') {
        int j = i;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
          j++;
        }
        tokens.add(s.substring(i, j));
        i = j;
      } else if (s.startsWith("==", i) || s.startsWith("!=", i)) {
        tokens.add(s.substring(i, i + 2));
        i += 2;
      } else if ("[](),.{}:".indexOf(c) >= 0) {
        tokens.add(String.valueOf(c));
        i++;
      } else {
        throw new IllegalArgumentException("unexpected " + c);
      }
    }
    return tokens;
  }
}
