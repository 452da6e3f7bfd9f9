package dev.fanin.feedwrite;

import java.time.Instant;

/**
 * What a written feed says about itself.
 *
 * @param id stable across runs: the same feed with the same parameters keeps it
 * @param selfUrl the URL it was asked for
 * @param updated the newest item's date, else when its run began
 */
public record FeedHead(String title, String id, String selfUrl, Instant updated) {
  public FeedHead {
    title = TextChars.clean(title);
    id = TextChars.clean(id);
    selfUrl = TextChars.clean(selfUrl);
  }
}
