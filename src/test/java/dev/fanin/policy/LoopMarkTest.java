package dev.fanin.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoopMarkTest {
  @Test
  void addsItsEntryAfterTheIncomingVia() {
    LoopMark mark = new LoopMark("fanin-abc");
    assertEquals("1.1 fanin-abc", mark.via(null));
    assertEquals("1.1 fanin-abc", mark.via(" "));
    assertEquals("1.0 proxy, 1.1 fanin-abc", mark.via("1.0 proxy"));
  }

  @Test
  void refusesItsOwnMarkAnywhereInTheChainButNotAnotherFanins() {
    LoopMark mark = new LoopMark("fanin-abc");
    assertNull(mark.refusal(List.of("1.1 fanin-def", "1.0 proxy (comment)")));
    assertNotNull(mark.refusal(List.of("1.1 fanin-def, 1.1 FANIN-ABC")));
    assertNotNull(mark.refusal(List.of("1.0 proxy", "HTTP/1.1 fanin-abc (fanin)")));
    assertNull(mark.refusal(List.of("garbage", "")));
  }

  @Test
  void tooManyHopsAreALoopToo() {
    LoopMark mark = new LoopMark("fanin-abc");
    assertNull(mark.refusal(Collections.nCopies(LoopMark.MAX_HOPS, "1.1 p")));
    assertNotNull(mark.refusal(Collections.nCopies(LoopMark.MAX_HOPS + 1, "1.1 p")));
  }

  @Test
  void everyProcessHasItsOwnPseudonym() {
    assertNotEquals(new LoopMark().pseudonym(), new LoopMark().pseudonym());
  }
}
