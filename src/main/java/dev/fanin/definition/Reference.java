package dev.fanin.definition;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A value of another source's result that a source uses in its URL, a header or its body:
 * {@code {sources.user.data.id}} is the value at JSON Pointer {@code /id} in source "user"'s
 * {@code data} (after its select and fields). Segments that are numbers index arrays.
 *
 * @param placeholder the text between the braces, which names the value when it is substituted
 * @param sourceId the source it waits for
 * @param pointer the JSON Pointer into that source's data ("" for the whole of it)
 */
public record Reference(String placeholder, String sourceId, String pointer) {
  /** {sources.ID.data.a.b}: group 1 is the text between the braces. */
  public static final Pattern PATTERN =
      Pattern.compile("\\{(sources\\.[A-Za-z0-9_.-]{1,64}?\\.data(?:\\.[^.{}\\[\\]\\s]+)*)}");
  private static final Pattern PARTS =
      Pattern.compile("sources\\.([A-Za-z0-9_.-]{1,64}?)\\.data((?:\\.[^.{}\\[\\]\\s]+)*)");

  /** The references in a text, in order (the same one may appear twice). */
  public static List<Reference> in(String text) {
    List<Reference> out = new ArrayList<>();
    Matcher m = PATTERN.matcher(text);
    while (m.find()) {
      out.add(of(m.group(1)));
    }
    return out;
  }

  /** Whether a text holds a reference at all. */
  public static boolean any(String text) {
    return text.contains("{sources.") && PATTERN.matcher(text).find();
  }

  static Reference of(String placeholder) {
    Matcher parts = PARTS.matcher(placeholder);
    if (!parts.matches()) {
      throw new IllegalArgumentException(placeholder);
    }
    StringBuilder pointer = new StringBuilder();
    String path = parts.group(2);
    if (!path.isEmpty()) {
      for (String segment : path.substring(1).split("\\.")) {
        pointer.append('/').append(segment.replace("~", "~0").replace("/", "~1"));
      }
    }
    return new Reference(placeholder, parts.group(1), pointer.toString());
  }

  /** As the definition wrote it: {sources.user.data.id}. */
  @Override
  public String toString() {
    return "{" + placeholder + "}";
  }
}
