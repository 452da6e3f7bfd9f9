package dev.fanin.feeds;

/** A registry refusal: why, as a {@link Reason}, and what, in the sender's words. */
public final class FeedException extends RuntimeException {
  /** Why the registry refused; {@link FeedBusApi} gives each its failure code. */
  public enum Reason {
    /** The request is malformed: a bad name, a definition that is not an object. */
    INVALID,
    /** No such feed, or no run of it yet. */
    NOT_FOUND,
    /** An operator feed: the API cannot change it. */
    READ_ONLY,
    /** The registry holds feeds.maxFeeds feeds already. */
    FULL,
    /** Others kept changing the feed while this change was tried. */
    BUSY,
    /** If-Match does not name the current version. */
    NOT_CURRENT,
    /** The feed belongs to another client (see {@link FeedOwnership}). */
    FORBIDDEN,
    /** The feed's owner would pass its scheduled-feed budget (see {@link FeedCosts}). */
    OVER_BUDGET
  }

  private final Reason reason;

  public FeedException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
