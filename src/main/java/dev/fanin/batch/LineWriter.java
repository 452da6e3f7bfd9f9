package dev.fanin.batch;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Writes a run's lines, whole and in the order given, from a thread of its own: the event loop only
 * queues them. Each pass writes everything queued in one call, so a line is on its way to the file
 * as soon as it arrives (a kill loses at most the lines in that call, and never more than the last
 * one partly). What was accepted is counted here, with the line, so that a run cut short reports
 * exactly what it wrote.
 */
final class LineWriter {
  /** Written lines are gathered into calls of about this size. */
  private static final int CHUNK = 256 * 1024;

  private final OutputStream out;
  private final Tally tally;
  private final ArrayDeque<Line> queue = new ArrayDeque<>();
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private final Thread thread;
  private long queuedBytes;
  private boolean closed;
  private Buffer last;
  private IOException failure;
  private Waiter waiter;

  /** A queued line, and what to run once it was written. */
  private record Line(Buffer bytes, Runnable written) {}

  /** A run that waits for the queue to shrink (backpressure), and where to wake it. */
  private record Waiter(long below, Context context, Promise<Void> promise) {}

  LineWriter(OutputStream out, Tally tally) {
    this.out = out;
    this.tally = tally;
    this.thread = new Thread(this::loop, "fanin-run-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Queues a result's line; false (and nothing counted) once the writer was closed or failed.
   *
   * @param written run once the line was written (or dropped by a failure), on the writer's thread
   */
  synchronized boolean offer(Buffer line, boolean ok, long latencyMs, Runnable written) {
    if (closed) {
      return false;
    }
    queue.add(new Line(line, written));
    queuedBytes += line.length();
    tally.count(ok, latencyMs);
    notifyAll();
    return true;
  }

  /** Bytes queued and not written yet. */
  synchronized long backlog() {
    return queuedBytes;
  }

  /**
   * Completes (on {@code context}) once fewer than {@code limit} bytes wait to be written: at once
   * when that is so already.
   */
  synchronized Future<Void> room(long limit, Context context) {
    if (queuedBytes < limit || closed) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    waiter = new Waiter(limit / 2, context, promise);
    return promise.future();
  }

  /**
   * Accepts no more results: queues the last line (the summary) after what is queued and completes
   * once all of it was written and the output closed, or failed. Called once; later offers are
   * refused, so the counts read right after are final.
   */
  synchronized CompletableFuture<Void> finish(Supplier<Buffer> lastLine) {
    closed = true;
    if (last == null && failure == null) {
      last = lastLine.get();
      notifyAll();
    }
    return finished;
  }

  /** Refuses every later offer (a run being interrupted); what was accepted is still written. */
  synchronized void refuse() {
    closed = true;
  }

  /** Why writing failed, or null. */
  synchronized IOException failure() {
    return failure;
  }

  private void loop() {
    try {
      while (true) {
        List<Buffer> lines = new ArrayList<>();
        List<Runnable> done = new ArrayList<>();
        Buffer tail;
        synchronized (this) {
          while (queue.isEmpty() && last == null) {
            wait();
          }
          long size = 0;
          while (!queue.isEmpty() && size < CHUNK) {
            Line line = queue.poll();
            size += line.bytes().length();
            lines.add(line.bytes());
            done.add(line.written());
          }
          tail = queue.isEmpty() ? last : null;
        }
        write(lines, tail);
        done.forEach(Runnable::run);
        Waiter wake = null;
        synchronized (this) {
          for (Buffer b : lines) {
            queuedBytes -= b.length();
          }
          if (waiter != null && queuedBytes < waiter.below()) {
            wake = waiter;
            waiter = null;
          }
        }
        if (wake != null) {
          Waiter w = wake;
          w.context().runOnContext(v -> w.promise().tryComplete());
        }
        if (tail != null) {
          out.close();
          finished.complete(null);
          return;
        }
      }
    } catch (IOException e) {
      synchronized (this) {
        failure = e;
        closed = true;
        queue.forEach(line -> line.written().run());
        queue.clear();
        queuedBytes = 0;
        if (waiter != null) {
          Waiter w = waiter;
          w.context().runOnContext(v -> w.promise().tryComplete());
          waiter = null;
        }
      }
      finished.completeExceptionally(e);
    } catch (InterruptedException e) {
      finished.completeExceptionally(e);
    }
  }

  private void write(List<Buffer> lines, Buffer tail) throws IOException {
    int size = tail == null ? 0 : tail.length();
    for (Buffer b : lines) {
      size += b.length();
    }
    if (size == 0) {
      return;
    }
    byte[] bytes = new byte[size];
    int at = 0;
    for (Buffer b : lines) {
      b.getBytes(bytes, at);
      at += b.length();
    }
    if (tail != null) {
      tail.getBytes(bytes, at);
    }
    out.write(bytes);
    out.flush();
  }
}
