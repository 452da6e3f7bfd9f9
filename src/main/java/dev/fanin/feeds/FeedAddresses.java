package dev.fanin.feeds;

/** The event-bus addresses of the feed registry and of scheduled feed runs. */
public final class FeedAddresses {
  public static final String PUT = "fanin.feeds.put";
  public static final String GET = "fanin.feeds.get";
  public static final String LIST = "fanin.feeds.list";
  public static final String DELETE = "fanin.feeds.delete";
  public static final String LATEST = "fanin.feeds.latest";
  /** The recent runs of a scheduled feed after a given run id (for resuming subscribers). */
  public static final String RUNS = "fanin.feeds.runs";
  /** Internal: a node announces a registry change it made, so that the others persist it. */
  public static final String CHANGED = "fanin.feeds.changed";
  /**
   * On a message to fanin.feed.{name} that is not a run: why the feed's runs ended ("deleted" or
   * "unscheduled").
   */
  public static final String EVENT_HEADER = "fanin-event";
  /** The node that served a registry request, or published a run or a registry change. */
  public static final String NODE_HEADER = "fanin-node";

  private FeedAddresses() {}

  /** Where each run of a scheduled feed is published. */
  public static String runs(String feed) {
    return "fanin.feed." + feed;
  }
}
