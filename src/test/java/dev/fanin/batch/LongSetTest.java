package dev.fanin.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The compact record of ids and URLs seen: a set of 64-bit hashes. */
class LongSetTest {
  @Test
  void behavesAsASetThroughGrowthAndWithZero() {
    LongSet set = new LongSet(4);
    Set<Long> expected = new HashSet<>();
    Random random = new Random(7);
    for (int i = 0; i < 100_000; i++) {
      long v = i % 10 == 0 ? random.nextInt(1000) : random.nextLong();
      assertEquals(expected.add(v), set.add(v));
    }
    assertEquals(expected.add(0L), set.add(0));
    assertFalse(set.add(0));
    assertEquals(expected.size(), set.size());
    for (long v : expected) {
      assertTrue(set.contains(v));
    }
    assertFalse(set.contains(123_456_789_123L));
  }

  @Test
  void hashesTellStringsApart() {
    assertEquals(Hashes.of("http://a/1"), Hashes.of("http://a/1"));
    assertNotEquals(Hashes.of("http://a/1"), Hashes.of("http://a/2"));
    assertNotEquals(Hashes.of("12"), Hashes.of("21"));
    LongSet seen = new LongSet();
    for (int i = 0; i < 200_000; i++) {
      assertTrue(seen.add(Hashes.of("http://127.0.0.1:8080/item/" + i)), "collision at " + i);
    }
  }
}
