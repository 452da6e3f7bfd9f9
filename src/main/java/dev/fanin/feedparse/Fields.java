package dev.fanin.feedparse;

import java.util.ArrayList;
import java.util.List;

/** What the XML reader collects for a feed and its items before the {@link ParsedFeed} is built. */
final class Fields {

  private Fields() {
  }

  /** A field filled from several elements: the lowest rank wins; among equals the last, as in feedparser. */
  static final class Slot {
    String value;
    private int rank = Integer.MAX_VALUE;

    void offer(String candidate, int candidateRank) {
      if (candidate != null && !candidate.isEmpty() && candidateRank <= rank) {
        value = candidate;
        rank = candidateRank;
      }
    }

    /** Like {@link #offer}, but the first among equals wins (an entry's first alternate link is its link). */
    void offerFirst(String candidate, int candidateRank) {
      if (candidateRank < rank) {
        offer(candidate, candidateRank);
      }
    }
  }

  static final class FeedFields {
    final Slot title = new Slot();
    final Slot link = new Slot();
    final Slot updated = new Slot();
  }

  static final class ItemFields {
    final Slot id = new Slot();
    final Slot title = new Slot();
    final Slot link = new Slot();
    final Slot published = new Slot();
    final Slot updated = new Slot();
    final Slot author = new Slot();
    final Slot summary = new Slot();
    final List<String> categories = new ArrayList<>();

    void category(String value) {
      if (value != null && !categories.contains(value)) {
        categories.add(value);
      }
    }
  }
}
