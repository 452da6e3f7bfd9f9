package dev.fanin.write;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.fanin.aggregate.AggregateSummary;
import dev.fanin.aggregate.SourceData;
import dev.fanin.aggregate.SourceResult;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;

/**
 * Encodes results straight into bytes. Upstream JSON bodies were validated when they arrived and
 * are spliced in as they are, so the aggregate never builds an object tree of upstream data.
 */
public final class ResultJson {
  private static final JsonStringEncoder STRINGS = JsonStringEncoder.getInstance();

  private ResultJson() {}

  /** A buffer sized for the result, so that splicing a large body does not regrow it. */
  public static Buffer sized(SourceResult r) {
    return Buffer.buffer((r.data() == null ? 0 : r.data().size()) + 300
        + r.timings().attempts() * TimingsJson.BYTES_PER_ATTEMPT);
  }

  /** Appends one result object; {@code type} (e.g. "result") is written first when not null. */
  public static Buffer append(Buffer out, SourceResult r, String type) {
    out.appendByte((byte) '{');
    if (type != null) {
      out.appendString("\"type\":\"").appendString(type).appendString("\",");
    }
    // ids are validated to [A-Za-z0-9_.-], so they need no escaping
    out.appendString("\"id\":\"").appendString(r.id())
        .appendString(r.ok() ? "\",\"status\":\"ok\"" : "\",\"status\":\"error\"")
        .appendString(",\"httpStatus\":").appendString(r.httpStatus() == 0 ? "null" : Integer.toString(r.httpStatus()))
        .appendString(",\"latencyMs\":").appendString(Long.toString(r.latencyMs()))
        .appendString(",\"startMs\":").appendString(Long.toString(r.startMs()))
        .appendString(",\"attempts\":").appendString(Integer.toString(r.attempts()))
        .appendString(",\"data\":");
    appendData(out, r.data());
    out.appendString(",\"cache\":\"").appendString(r.cache())
        .appendString("\",\"ageMs\":").appendString(Long.toString(r.cacheAgeMs()));
    out.appendString(",\"fetchedAt\":\"").appendString(Instant.ofEpochMilli(r.fetchedAt()).toString())
        .appendByte((byte) '"');
    TimingsJson.append(out, r.timings());
    if (!r.notes().isEmpty()) {
      out.appendString(",\"notes\":[");
      for (int i = 0; i < r.notes().size(); i++) {
        if (i > 0) {
          out.appendByte((byte) ',');
        }
        appendString(out, r.notes().get(i));
      }
      out.appendByte((byte) ']');
    }
    if (!r.ok()) {
      out.appendString(",\"error\":{\"kind\":\"").appendString(r.errorKind().wireName())
          .appendString("\",\"message\":");
      appendString(out, r.errorMessage());
      out.appendByte((byte) '}');
    }
    return out.appendByte((byte) '}');
  }

  /** The summary object of a stream. */
  public static Buffer summary(AggregateSummary s) {
    return Buffer.buffer(96)
        .appendString("{\"type\":\"summary\",\"complete\":").appendString(Boolean.toString(s.complete()))
        .appendString(",\"durationMs\":").appendString(Long.toString(s.durationMs()))
        .appendString(",\"ok\":").appendString(Integer.toString(s.ok()))
        .appendString(",\"failed\":").appendString(Integer.toString(s.failed()))
        .appendBuffer(items(s))
        .appendByte((byte) '}');
  }

  /** ,"items":[...] when the aggregation merged a timeline, else nothing. */
  public static Buffer items(AggregateSummary s) {
    if (s.items() == null) {
      return Buffer.buffer();
    }
    return Buffer.buffer(",\"items\":").appendBuffer(s.items().toBuffer());
  }

  private static void appendData(Buffer out, SourceData data) {
    if (data == null) {
      out.appendString("null");
    } else if (data instanceof SourceData.Json json) {
      out.appendBuffer(json.utf8());
    } else {
      appendString(out, ((SourceData.Text) data).text());
    }
  }

  static void appendString(Buffer out, String s) {
    out.appendByte((byte) '"').appendBytes(STRINGS.quoteAsUTF8(s)).appendByte((byte) '"');
  }
}
