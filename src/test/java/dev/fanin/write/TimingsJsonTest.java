package dev.fanin.write;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fanin.aggregate.SourceResult;
import dev.fanin.fetch.FetchContext;
import dev.fanin.fetch.FetchException;
import dev.fanin.fetch.ErrorKind;
import dev.fanin.testing.Fetches;
import dev.fanin.testing.Results;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Timings in the result's JSON: every field of every attempt, milliseconds to the microsecond. */
class TimingsJsonTest {
  static String ms(long nanos) {
    Buffer out = Buffer.buffer();
    TimingsJson.appendMs(out, nanos);
    return out.toString();
  }

  @Test
  void millisecondsKeepAtMostThreeDecimalsAndNoTrailingZeros() {
    assertEquals("0", ms(0));
    assertEquals("0", ms(499));
    assertEquals("0.001", ms(500));
    assertEquals("0.005", ms(5_000));
    assertEquals("0.05", ms(50_000));
    assertEquals("0.5", ms(500_000));
    assertEquals("1", ms(1_000_000));
    assertEquals("12.345", ms(12_345_000));
    assertEquals("200.12", ms(200_120_400));
    assertEquals("86400000", ms(86_400_000_000_000L));
    assertEquals("0", ms(-3), "never negative");
  }

  @Test
  void everyAttemptIsWrittenWithEveryField() throws Exception {
    FetchContext context = Fetches.context(5_000);
    context.attemptStarted(); // the first attempt, sent
    context.attemptStarted(); // the second
    SourceResult r = withTimings(Results.ok("a", "1"), context.timings().freeze("upstream"));
    JsonObject timings = new JsonObject(ResultJson.append(ResultJson.sized(r), r, null)).getJsonObject("timings");
    assertEquals("upstream", timings.getString("from"));
    JsonArray attempts = timings.getJsonArray("attempts");
    assertEquals(2, attempts.size());
    for (int i = 0; i < 2; i++) {
      JsonObject a = attempts.getJsonObject(i);
      assertEquals(Set.of("startMs", "sent", "waitMs", "connectMs", "headMs", "bodyMs", "backoffAfterMs"), a.fieldNames());
      assertEquals(Set.of("slot", "budget", "origin", "pool"), a.getJsonObject("waitMs").fieldNames());
      assertEquals(true, a.getBoolean("sent"));
      assertEquals(0, a.getDouble("headMs"));
      assertEquals(true, a.getDouble("startMs") >= 0);
    }
  }

  @Test
  void aSourceThatCameFromElsewhereHasNoAttempts() {
    FetchContext context = Fetches.context(5_000);
    SourceResult r = withTimings(Results.failed("c", ErrorKind.TIMEOUT, "x"), context.timings().freeze("coalesced"));
    assertEquals(new JsonObject().put("from", "coalesced").put("attempts", new JsonArray()),
        new JsonObject(ResultJson.append(Buffer.buffer(), r, "result")).getJsonObject("timings"));
  }

  static SourceResult withTimings(SourceResult r, dev.fanin.fetch.Timings timings) {
    return new SourceResult(r.id(), r.optional(), r.httpStatus(), r.latencyMs(), r.startMs(), r.attempts(), r.data(),
        r.errorKind(), r.errorMessage(), r.fetchedAt(), r.notes(), List.of(), r.cache(), r.cacheAgeMs(), timings);
  }
}
