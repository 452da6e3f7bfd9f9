package dev.fanin.feedparse;

/** A document that is not a feed this package can read, or one past the parser's limits; the message is one line. */
public final class FeedParseException extends Exception {

  public FeedParseException(String message) {
    super(oneLine(message));
  }

  public FeedParseException(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  private static String oneLine(String message) {
    return message == null ? "unreadable feed" : message.replaceAll("\\s+", " ").trim();
  }
}
