package dev.fanin.tracing;

import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * One of fanin's own spans (an aggregation, a feed run, an upstream attempt), or {@link #NONE} when
 * tracing is off: every call on NONE does nothing, so code that traces costs nothing without a tracer.
 */
public interface TraceSpan {
  /** The span of a process that does not trace. */
  TraceSpan NONE = new TraceSpan() {
    @Override
    public TraceSpan child(String name, boolean client) {
      return this;
    }

    @Override
    public TraceSpan attribute(String key, String value) {
      return this;
    }

    @Override
    public TraceSpan attribute(String key, long value) {
      return this;
    }

    @Override
    public void event(String name, String... keysAndValues) { }

    @Override
    public void error(String kind, String message) { }

    @Override
    public void end() { }

    @Override
    public String traceId() {
      return null;
    }

    @Override
    public void inject(BiConsumer<String, String> headers) { }

    @Override
    public boolean recording() {
      return false;
    }

    @Override
    public <T> T within(Supplier<T> work) {
      return work.get();
    }
  };

  /** A span inside this one: a client span for a request sent upstream, else an internal one. */
  TraceSpan child(String name, boolean client);

  /** Sets an attribute (a null value is left out). */
  TraceSpan attribute(String key, String value);

  TraceSpan attribute(String key, long value);

  /** Adds an event with string attributes, given as key, value, key, value (null values left out). */
  void event(String name, String... keysAndValues);

  /** Marks the span as failed, with fanin's error kind (fanin.error.kind, error.type) and why. */
  void error(String kind, String message);

  void end();

  /** The trace's id (32 hex digits), or null when not tracing. */
  String traceId();

  /** Writes this span's context as request headers (W3C traceparent, tracestate) for the next hop. */
  void inject(BiConsumer<String, String> headers);

  /** Whether this span records anything (false for NONE): worth computing attributes for. */
  boolean recording();

  /** Runs the work with this span current, so spans started inside it (e.g. an aggregation's) are its children. */
  <T> T within(Supplier<T> work);
}
