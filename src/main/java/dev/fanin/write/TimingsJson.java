package dev.fanin.write;

import dev.fanin.fetch.Timings;
import dev.fanin.fetch.Timings.Phase;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes a source's timings (docs/api.md, "Timings"): milliseconds with at most three decimals
 * (microseconds), written digit by digit into the result's buffer.
 */
final class TimingsJson {
  /** What one attempt's object takes, about, to size the result's buffer. */
  static final int BYTES_PER_ATTEMPT = 176;

  private static final byte[] OPEN = bytes(",\"timings\":{\"from\":\"");
  private static final byte[] ATTEMPTS = bytes("\",\"attempts\":[");
  private static final byte[] START = bytes("{\"startMs\":");
  private static final byte[] SENT = bytes(",\"sent\":true");
  private static final byte[] UNSENT = bytes(",\"sent\":false");
  private static final byte[] SLOT = bytes(",\"waitMs\":{\"slot\":");
  private static final byte[] BUDGET = bytes(",\"budget\":");
  private static final byte[] ORIGIN = bytes(",\"origin\":");
  private static final byte[] POOL = bytes(",\"pool\":");
  private static final byte[] CONNECT = bytes("},\"connectMs\":");
  private static final byte[] HEAD = bytes(",\"headMs\":");
  private static final byte[] BODY = bytes(",\"bodyMs\":");
  private static final byte[] BACKOFF = bytes(",\"backoffAfterMs\":");

  private TimingsJson() {}

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Appends ,"timings":{...}. */
  static void append(Buffer out, Timings t) {
    out.appendBytes(OPEN).appendString(t.from()).appendBytes(ATTEMPTS);
    for (int i = 0; i < t.attempts(); i++) {
      if (i > 0) {
        out.appendByte((byte) ',');
      }
      out.appendBytes(START);
      appendMs(out, t.startNanos(i));
      out.appendBytes(t.sent(i) ? SENT : UNSENT);
      out.appendBytes(SLOT);
      appendMs(out, t.nanos(i, Phase.SLOT));
      out.appendBytes(BUDGET);
      appendMs(out, t.nanos(i, Phase.BUDGET));
      out.appendBytes(ORIGIN);
      appendMs(out, t.nanos(i, Phase.ORIGIN));
      out.appendBytes(POOL);
      appendMs(out, t.nanos(i, Phase.POOL));
      out.appendBytes(CONNECT);
      appendMs(out, t.nanos(i, Phase.CONNECT));
      out.appendBytes(HEAD);
      appendMs(out, t.nanos(i, Phase.HEAD));
      out.appendBytes(BODY);
      appendMs(out, t.nanos(i, Phase.BODY));
      out.appendBytes(BACKOFF);
      appendMs(out, t.nanos(i, Phase.BACKOFF));
      out.appendByte((byte) '}');
    }
    out.appendString("]}");
  }

  /** Nanoseconds as milliseconds rounded to the microsecond, without trailing zeros: 12, 0.5, 3.125. */
  static void appendMs(Buffer out, long nanos) {
    long micros = Math.max(0, (nanos + 500) / 1_000);
    appendDigits(out, micros / 1_000);
    int fraction = (int) (micros % 1_000);
    if (fraction == 0) {
      return;
    }
    out.appendByte((byte) '.');
    int divisor = 100;
    while (fraction > 0) {
      out.appendByte((byte) ('0' + fraction / divisor));
      fraction %= divisor;
      divisor /= 10;
    }
  }

  private static void appendDigits(Buffer out, long value) {
    long divisor = 1;
    while (divisor <= value / 10) {
      divisor *= 10;
    }
    for (; divisor > 0; divisor /= 10) {
      out.appendByte((byte) ('0' + value / divisor % 10));
    }
  }
}
