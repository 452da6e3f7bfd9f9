package dev.fanin.policy;

import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * fanin's mark on every upstream request: a Via entry (RFC 9110 §7.6.3) with a pseudonym of this
 * process. A request that arrives carrying this process's own entry was sent by this process, so
 * serving it would be a loop (a source pointing back at fanin, directly or through other fanins).
 * The Via a request arrived with is passed on, so a loop through several hops is seen too.
 */
public final class LoopMark {
  /** More intermediaries than this on one request is treated as a loop too. */
  public static final int MAX_HOPS = 16;
  private final String pseudonym;
  private final String alone;

  public LoopMark() {
    this("fanin-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(0, 12));
  }

  LoopMark(String pseudonym) {
    this.pseudonym = pseudonym;
    this.alone = "1.1 " + pseudonym;
  }

  public String pseudonym() {
    return pseudonym;
  }

  /** The Via to send upstream: the one the triggering request came with, plus this process. */
  public String via(String incoming) {
    return incoming == null || incoming.isBlank() ? alone : incoming + ", " + alone;
  }

  /**
   * Why a request with these Via header values must not be served, or null: it carries this
   * process's own mark, or it passed through more than {@link #MAX_HOPS} intermediaries.
   */
  public String refusal(List<String> viaHeaders) {
    int hops = 0;
    for (String header : viaHeaders) {
      for (String entry : header.split(",")) {
        String[] parts = entry.trim().split("\\s+");
        if (parts.length < 2) {
          continue;
        }
        hops++;
        if (parts[1].toLowerCase(Locale.ROOT).equals(pseudonym)) {
          return "this request was sent by this fanin itself (Via: " + pseudonym
              + "): a source leads back to fanin";
        }
      }
    }
    return hops > MAX_HOPS ? "this request passed through " + hops + " intermediaries; at most " + MAX_HOPS
        + " are allowed" : null;
  }
}
