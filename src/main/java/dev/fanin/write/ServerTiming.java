package dev.fanin.write;

/**
 * The {@code Server-Timing} header of a whole-document answer (W3C): the slowest {@link #MAX_ENTRIES}
 * sources in completion order, then the total. Bounded, because a header of one entry per source
 * outgrows what clients and proxies accept (8 KiB for Vert.x's and nginx's defaults) near 500
 * sources; the document's results carry every latency anyway. Ids are tokens and need no quoting.
 */
final class ServerTiming {
  static final int MAX_ENTRIES = 20;
  private final String[] ids = new String[MAX_ENTRIES];
  private final long[] durations = new long[MAX_ENTRIES];
  private final long[] order = new long[MAX_ENTRIES];
  private int size;
  private long seen;

  /** One source's latency, as it completes. */
  void add(String id, long durationMs) {
    long seq = seen++;
    int slot = size;
    if (size == MAX_ENTRIES) {
      slot = 0;
      for (int i = 1; i < size; i++) {
        if (durations[i] < durations[slot]) {
          slot = i;
        }
      }
      if (durations[slot] >= durationMs) {
        return;
      }
    } else {
      size++;
    }
    ids[slot] = id;
    durations[slot] = durationMs;
    order[slot] = seq;
  }

  /** The header's value: the kept entries in the order their sources completed, then total. */
  String header(long totalMs) {
    StringBuilder b = new StringBuilder(size * 24 + 16);
    boolean[] written = new boolean[size];
    for (int n = 0; n < size; n++) {
      int next = -1;
      for (int i = 0; i < size; i++) {
        if (!written[i] && (next < 0 || order[i] < order[next])) {
          next = i;
        }
      }
      written[next] = true;
      b.append(ids[next]).append(";dur=").append(durations[next]).append(", ");
    }
    return b.append("total;dur=").append(totalMs).toString();
  }
}
