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
 * <p>{@code {sources.list.data.items[*].id}} names many values: the source that uses it is expanded
 * into one request per element of the array at {@code /items}, each taking {@code /id} of its element.
 *
 * @param placeholder the text between the braces, which names the value when it is substituted
 * @param sourceId the source it waits for
 * @param pointer the JSON Pointer into that source's data ("" for the whole of it); for a reference
 *     that names many values, the pointer to the array
 * @param each for a reference that names many values, the pointer into each element ("" for the
 *     element itself); null for a reference to one value
 */
public record Reference(String placeholder, String sourceId, String pointer, String each) {
  /** {sources.ID.data.a.b} or {sources.ID.data.a[*].b}: group 1 is the text between the braces. */
  public static final Pattern PATTERN = Pattern.compile(
      "\\{(sources\\.[A-Za-z0-9_.-]{1,64}?\\.data(?:\\.[^.{}\\[\\]\\s]+)*(?:\\[\\*](?:\\.[^.{}\\[\\]\\s]+)*)?)}");
  private static final Pattern PARTS = Pattern.compile(
      "sources\\.([A-Za-z0-9_.-]{1,64}?)\\.data((?:\\.[^.{}\\[\\]\\s]+)*)(\\[\\*]((?:\\.[^.{}\\[\\]\\s]+)*))?");

  public Reference(String placeholder, String sourceId, String pointer) {
    this(placeholder, sourceId, pointer, null);
  }

  /** Whether this reference names many values (an array's elements). */
  public boolean expands() {
    return each != null;
  }

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
    return new Reference(placeholder, parts.group(1), pointer(parts.group(2)),
        parts.group(3) == null ? null : pointer(parts.group(4)));
  }

  /** .a.b as the JSON Pointer /a/b. */
  private static String pointer(String path) {
    StringBuilder pointer = new StringBuilder();
    if (!path.isEmpty()) {
      for (String segment : path.substring(1).split("\\.")) {
        pointer.append('/').append(segment.replace("~", "~0").replace("/", "~1"));
      }
    }
    return pointer.toString();
  }

  /** As the definition wrote it: {sources.user.data.id}. */
  @Override
  public String toString() {
    return "{" + placeholder + "}";
  }
}
