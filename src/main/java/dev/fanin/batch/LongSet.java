package dev.fanin.batch;

/**
 * A set of 64-bit values in one array, open addressing with linear probing: 8 bytes a value at a
 * load of at most 3/4 (a million values take 16 MB), no object per value. What a batch run
 * remembers of the ids and URLs it has seen, as {@link Hashes} of them.
 */
final class LongSet {
  /** 0 marks a free slot, so the value 0 itself is kept apart. */
  private boolean hasZero;
  private long[] slots;
  private int size;

  LongSet() {
    this(1024);
  }

  LongSet(int expected) {
    int capacity = 16;
    while (capacity * 3L / 4 < expected) {
      capacity <<= 1;
    }
    slots = new long[capacity];
  }

  /** Adds a value; false when it was there already. */
  boolean add(long value) {
    if (value == 0) {
      if (hasZero) {
        return false;
      }
      hasZero = true;
      size++;
      return true;
    }
    if ((size + 1) * 4L > slots.length * 3L) {
      grow();
    }
    if (insert(slots, value)) {
      size++;
      return true;
    }
    return false;
  }

  boolean contains(long value) {
    if (value == 0) {
      return hasZero;
    }
    int mask = slots.length - 1;
    for (int i = index(value, mask); ; i = (i + 1) & mask) {
      long v = slots[i];
      if (v == 0) {
        return false;
      }
      if (v == value) {
        return true;
      }
    }
  }

  int size() {
    return size;
  }

  private static boolean insert(long[] table, long value) {
    int mask = table.length - 1;
    for (int i = index(value, mask); ; i = (i + 1) & mask) {
      long v = table[i];
      if (v == 0) {
        table[i] = value;
        return true;
      }
      if (v == value) {
        return false;
      }
    }
  }

  private void grow() {
    long[] bigger = new long[slots.length << 1];
    for (long v : slots) {
      if (v != 0) {
        insert(bigger, v);
      }
    }
    slots = bigger;
  }

  private static int index(long value, int mask) {
    // the values are hashes already; fold the high bits in so that the low ones are not all that counts
    return (int) (value ^ (value >>> 32)) & mask;
  }
}
