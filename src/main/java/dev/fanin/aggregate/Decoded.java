package dev.fanin.aggregate;

import java.util.List;

/**
 * A decoded body: its data, remarks for the result's notes, and, for feeds, its items (for merging).
 */
public record Decoded(SourceData data, List<String> notes, List<FeedItemRef> items) {
  public static Decoded of(SourceData data) {
    return new Decoded(data, List.of(), List.of());
  }
}
