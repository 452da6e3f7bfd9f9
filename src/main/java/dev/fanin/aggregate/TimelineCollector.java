package dev.fanin.aggregate;

import io.vertx.core.json.JsonArray;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a merged timeline as feeds arrive: newest first (equal dates in definition order, undated
 * last), one item per id and per canonical link (the first in that order wins; an item passed over
 * as a duplicate claims nothing), at most {@code limit} items, each tagged with its source's id.
 *
 * <p>It holds a few times {@code limit} items, not all of them: items older than every candidate
 * are dropped as they come, and from time to time the candidates are compacted to the first
 * 2 × limit items that would appear, less exact duplicates of those. The result equals merging
 * everything at the end unless later feeds displace more than {@code limit} of those items by
 * duplicating them, which takes items sharing an id with one item and a link with another.
 */
final class TimelineCollector {
  private record Entry(String source, int sourceIndex, int itemIndex, FeedItemRef item) {}

  private static final Comparator<Entry> ORDER = Comparator
      .comparing((Entry e) -> e.item().date(), Comparator.nullsLast(Comparator.<Instant>reverseOrder()))
      .thenComparingInt(Entry::sourceIndex)
      .thenComparingInt(Entry::itemIndex);

  private final int limit;
  private final int capacity;
  private final TreeSet<Entry> kept = new TreeSet<>(ORDER);

  TimelineCollector(int limit) {
    this.limit = limit;
    this.capacity = Math.max(limit * 4, limit + 64);
  }

  /**
   * Offers one source's items (in document order); returns the bytes of the items it let go, which
   * the caller no longer holds.
   */
  long add(String source, int sourceIndex, List<FeedItemRef> items) {
    long released = 0;
    for (int i = 0; i < items.size(); i++) {
      Entry entry = new Entry(source, sourceIndex, i, items.get(i));
      if (kept.size() >= capacity && ORDER.compare(entry, kept.last()) > 0) {
        released += entry.item().bytes();
        continue;
      }
      kept.add(entry);
      if (kept.size() > capacity) {
        released += compact();
      }
    }
    return released;
  }

  /**
   * Keeps the first 2 × limit items that would appear (and the partial duplicates between them,
   * which may yet appear if the item they duplicate is displaced); drops exact duplicates of items
   * that appear, and everything after; then, if still too many, the last ones.
   */
  private long compact() {
    Set<String> ids = new HashSet<>();
    Set<String> links = new HashSet<>();
    int shown = 0;
    long released = 0;
    for (Iterator<Entry> it = kept.iterator(); it.hasNext(); ) {
      FeedItemRef item = it.next().item();
      boolean idTaken = item.id() != null && ids.contains(item.id());
      boolean linkTaken = item.canonicalLink() != null && links.contains(item.canonicalLink());
      if (shown >= 2 * limit || ((idTaken || item.id() == null) && (linkTaken || item.canonicalLink() == null)
          && (idTaken || linkTaken))) {
        it.remove();
        released += item.bytes();
      } else if (!idTaken && !linkTaken) {
        shown++;
        if (item.id() != null) {
          ids.add(item.id());
        }
        if (item.canonicalLink() != null) {
          links.add(item.canonicalLink());
        }
      }
    }
    while (kept.size() > capacity * 8) {
      released += kept.pollLast().item().bytes();
    }
    return released;
  }

  JsonArray result() {
    Set<String> ids = new HashSet<>();
    Set<String> links = new HashSet<>();
    JsonArray out = new JsonArray();
    for (Entry e : kept) {
      if (out.size() >= limit) {
        break;
      }
      FeedItemRef item = e.item();
      if ((item.id() != null && ids.contains(item.id()))
          || (item.canonicalLink() != null && links.contains(item.canonicalLink()))) {
        continue;
      }
      if (item.id() != null) {
        ids.add(item.id());
      }
      if (item.canonicalLink() != null) {
        links.add(item.canonicalLink());
      }
      out.add(item.json().copy().put("source", e.source()));
    }
    return out;
  }
}
