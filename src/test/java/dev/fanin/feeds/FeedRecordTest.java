package dev.fanin.feeds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** How versions of a feed compare when nodes meet, and how records are stored. */
class FeedRecordTest {
  static final JsonObject DEF = new JsonObject().put("sources", new io.vertx.core.json.JsonArray());

  @Test
  void theHigherRevisionWinsThenTheLaterChangeThenTheEncoding() {
    FeedRecord r1 = new FeedRecord("f", 1, 500, false, DEF);
    FeedRecord r2 = new FeedRecord("f", 2, 100, false, DEF);
    assertTrue(r2.newerThan(r1));
    assertFalse(r1.newerThan(r2));
    FeedRecord later = new FeedRecord("f", 2, 200, false, DEF);
    assertTrue(later.newerThan(r2));
    FeedRecord tombstone = new FeedRecord("f", 2, 200, false, null);
    // a tie on revision and time is broken the same way on every node, never both ways
    assertTrue(tombstone.newerThan(later) != later.newerThan(tombstone));
    assertTrue(r1.newerThan(null));
  }

  @Test
  void eachChangeRaisesTheRevision() {
    FeedRecord first = FeedRecord.live("f", null, DEF, false);
    assertEquals(1, first.rev());
    FeedRecord gone = FeedRecord.tombstone("f", first);
    assertEquals(2, gone.rev());
    assertTrue(gone.deleted());
    assertFalse(FeedRecord.isLive(gone));
    assertEquals(3, FeedRecord.live("f", gone, DEF, false).rev());
  }

  @Test
  void recordsRoundTripThroughTheSharedAndTheFileForm() {
    FeedRecord live = new FeedRecord("f", 4, 1234, false, DEF);
    assertEquals(live, FeedRecord.decode("f", live.encode()));
    assertEquals(live, FeedRecord.fromFile("f", live.fileContent().toJsonObject()));
    FeedRecord gone = new FeedRecord("f", 5, 1300, false, null);
    assertEquals(gone, FeedRecord.decode("f", gone.encode()));
    assertNull(FeedRecord.fromFile("f", gone.fileContent().toJsonObject()).definition());
    FeedRecord operator = new FeedRecord("f", 1, 1, true, DEF);
    assertTrue(FeedRecord.decode("f", operator.encode()).readOnly());
  }

  @Test
  void aBareDefinitionFileIsRevisionZero() {
    FeedRecord legacy = FeedRecord.fromFile("f", DEF);
    assertEquals(0, legacy.rev());
    assertEquals(DEF, legacy.definition());
    assertTrue(FeedRecord.live("f", null, DEF, false).newerThan(legacy));
  }

  @Test
  void theOwnerTravelsWithTheRecordAndAFileWithoutOneBelongsToNobody() {
    FeedRecord keyed = FeedRecord.live("f", null, DEF, false, FeedClient.key("alice"));
    assertEquals(keyed, FeedRecord.decode("f", keyed.encode()));
    assertEquals(keyed, FeedRecord.fromFile("f", keyed.fileContent().toJsonObject()));
    assertEquals(new JsonObject().put("key", "alice"), keyed.fileContent().toJsonObject().getJsonObject("owner"));
    FeedRecord anonymous = FeedRecord.live("f", keyed, DEF, false, FeedClient.anonymous("10.0.0.7"));
    assertEquals(FeedClient.anonymous("10.0.0.7"), FeedRecord.decode("f", anonymous.encode()).owner());
    FeedRecord before = FeedRecord.fromFile("f",
        new JsonObject().put("rev", 2).put("updatedAt", 1).put("definition", DEF));
    assertEquals(FeedClient.NONE, before.owner());
    assertFalse(before.fileContent().toJsonObject().containsKey("owner"));
    assertEquals(FeedClient.NONE, FeedRecord.tombstone("f", keyed).owner(), "a deleted name is free");
    assertThrows(IllegalArgumentException.class, () -> FeedRecord.decode("f",
        new JsonObject().put("rev", 1).put("updatedAt", 1).put("owner", "alice").put("definition", DEF).encode()));
  }

  @Test
  void aMalformedRecordIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> FeedRecord.fromFile("f", new JsonObject().put("rev", "x").put("updatedAt", 1).put("definition", DEF)));
    assertThrows(IllegalArgumentException.class,
        () -> FeedRecord.decode("f", new JsonObject().put("rev", 1).put("updatedAt", 1).encode()));
  }
}
