package dev.fanin.definition;

/** Merge every feed source's items into one timeline of at most {@code limit} items. */
public record MergeSpec(boolean items, int limit) {
  public static final MergeSpec NONE = new MergeSpec(false, 0);
}
