package dev.fanin.feeds;

import dev.fanin.feeds.FeedException.Reason;

/**
 * Who may change which feed. A feed belongs to the API key that created it: only that key, or a
 * key with feeds:admin, may replace or delete it; a feed that belongs to no key (created without
 * keys, over the bus, or before feeds had owners) only a feeds:admin key. Operator feeds stay
 * read-only to everyone. Anonymous clients (no keys configured) and bus requests that name no client
 * (the bus is trusted) may change every API feed, as before feeds had owners.
 *
 * <p>A key that can read no feeds (neither feeds:read nor feeds:admin) must not learn which names
 * others hold: a feed it may not change is answered as if it did not exist (see FeedCatalog).
 */
final class FeedOwnership {
  static final String READ = "feeds:read";
  static final String ADMIN = "feeds:admin";
  private final ClientSettings settings;

  FeedOwnership(ClientSettings settings) {
    this.settings = settings;
  }

  /** Whether the caller may replace or delete this live feed. */
  boolean mayChange(FeedClient caller, FeedRecord record) {
    if (record.readOnly()) {
      return false;
    }
    if (!caller.isKey()) {
      return true;
    }
    return caller.keyId().equals(record.owner().keyId()) || settings.hasScope(caller.keyId(), ADMIN);
  }

  /** Whether a live feed is answered as if it did not exist: not the caller's, and it reads no feeds. */
  boolean hidden(FeedClient caller, FeedRecord record) {
    return caller.isKey() && !mayChange(caller, record)
        && !settings.hasScope(caller.keyId(), READ) && !settings.hasScope(caller.keyId(), ADMIN);
  }

  /** The refusal of a change to a feed the caller may see but not change. */
  FeedException notYours(FeedClient caller, FeedRecord record) {
    String name = record.name();
    if (record.owner().isKey()) {
      return new FeedException(Reason.FORBIDDEN, "feed " + name + " belongs to API key " + record.owner().keyId()
          + "; only that key or a key with the scope " + ADMIN + " may replace or delete it, not "
          + caller.describe());
    }
    return new FeedException(Reason.FORBIDDEN, "feed " + name + " belongs to no API key (it was created without "
        + "one, or before feeds had owners); only a key with the scope " + ADMIN
        + " may replace or delete it, not " + caller.describe());
  }

  /** The refusal of a create under a name that a feed hidden from the caller holds. */
  FeedException taken(FeedClient caller, String name) {
    return new FeedException(Reason.FORBIDDEN, caller.describe() + " cannot create feed " + name
        + ": the name is taken by a feed it does not own; only that feed's owner or a key with the scope "
        + ADMIN + " may replace it");
  }
}
