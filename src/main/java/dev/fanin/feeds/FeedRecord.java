package dev.fanin.feeds;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * One feed as the registry shares it between nodes and keeps it on disk: its definition, or a
 * tombstone (definition null) once deleted, with a revision that every change raises by one.
 * When two versions meet (a node rejoining, a full-cluster restart) the newer one wins: the
 * higher revision, then the later change, then the larger encoding, so every node picks the same.
 *
 * @param updatedAt when the change was made, in milliseconds since the epoch
 * @param readOnly an operator feed from a node's conf folder: shared, never written to disk
 * @param owner the client that created the feed (see {@link FeedOwnership}); {@link FeedClient#NONE}
 *     for operator feeds, tombstones, feeds created over the bus and feeds stored before owners were
 */
public record FeedRecord(String name, long rev, long updatedAt, boolean readOnly, JsonObject definition,
    FeedClient owner) {

  public FeedRecord {
    owner = owner == null ? FeedClient.NONE : owner;
  }

  /** A record that belongs to nobody. */
  public FeedRecord(String name, long rev, long updatedAt, boolean readOnly, JsonObject definition) {
    this(name, rev, updatedAt, readOnly, definition, FeedClient.NONE);
  }

  /** The next version of a feed that belongs to nobody (an operator feed). */
  public static FeedRecord live(String name, FeedRecord previous, JsonObject definition, boolean readOnly) {
    return live(name, previous, definition, readOnly, FeedClient.NONE);
  }

  public static FeedRecord live(String name, FeedRecord previous, JsonObject definition, boolean readOnly,
      FeedClient owner) {
    return new FeedRecord(name, revAfter(previous), System.currentTimeMillis(), readOnly, definition, owner);
  }

  public static FeedRecord tombstone(String name, FeedRecord previous) {
    return new FeedRecord(name, revAfter(previous), System.currentTimeMillis(), false, null);
  }

  private static long revAfter(FeedRecord previous) {
    return previous == null ? 1 : previous.rev + 1;
  }

  public boolean deleted() {
    return definition == null;
  }

  /** Whether a record is there and not a tombstone. */
  public static boolean isLive(FeedRecord record) {
    return record != null && !record.deleted();
  }

  /** Whether this version wins over another (null loses to anything). */
  public boolean newerThan(FeedRecord other) {
    if (other == null) {
      return true;
    }
    if (rev != other.rev) {
      return rev > other.rev;
    }
    if (updatedAt != other.updatedAt) {
      return updatedAt > other.updatedAt;
    }
    return encode().compareTo(other.encode()) > 0;
  }

  /** Whether both are one version: the same shared form, byte for byte, as compare-and-set sees it. */
  public boolean sameVersion(FeedRecord other) {
    return this == other || (other != null && encode().equals(other.encode()));
  }

  /** The shared form: compact JSON, compared byte for byte by compare-and-set. */
  public String encode() {
    JsonObject json = new JsonObject().put("rev", rev).put("updatedAt", updatedAt);
    if (readOnly) {
      json.put("readOnly", true);
    }
    if (!owner.isNone()) {
      json.put("owner", owner.toJson());
    }
    if (deleted()) {
      json.put("deleted", true);
    } else {
      json.put("definition", definition);
    }
    return json.encode();
  }

  public static FeedRecord decode(String name, String encoded) {
    return fromJson(name, new JsonObject(encoded));
  }

  /** The file form: the same fields, readable. */
  public Buffer fileContent() {
    return Buffer.buffer(new JsonObject(encode()).encodePrettily());
  }

  /**
   * Reads a stored file: a record ({"rev", "updatedAt", "owner"?, "definition" or "deleted"}), or a
   * bare definition as written before revisions existed, which counts as revision 0. A record
   * without an owner (written before owners were) belongs to nobody.
   */
  public static FeedRecord fromFile(String name, JsonObject content) {
    if (content.containsKey("rev") && (content.containsKey("definition") || content.containsKey("deleted"))) {
      return fromJson(name, content);
    }
    return new FeedRecord(name, 0, 0, false, content);
  }

  private static FeedRecord fromJson(String name, JsonObject json) {
    Object rev = json.getValue("rev");
    Object at = json.getValue("updatedAt");
    if (!(rev instanceof Number r) || !(at instanceof Number a)) {
      throw new IllegalArgumentException("a feed record needs numeric rev and updatedAt");
    }
    JsonObject definition = json.getBoolean("deleted", false) ? null : json.getJsonObject("definition");
    if (definition == null && !json.getBoolean("deleted", false)) {
      throw new IllegalArgumentException("a feed record needs a definition or deleted: true");
    }
    return new FeedRecord(name, r.longValue(), a.longValue(), json.getBoolean("readOnly", false), definition,
        FeedClient.fromJson(json.getValue("owner")));
  }
}
