package dev.fanin.write;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayDeque;

/**
 * What is waiting to be written to one HTTP response, written with backpressure: in slices of at
 * most {@link #SLICE} bytes, each only while the connection can take more (its write queue is not
 * full), the rest once it drains. A large answer therefore never sits whole in the socket's
 * outbound buffers (where the NIO transport would also copy it into direct memory): the one heap
 * copy is shared, and each connection holds about one slice. A client that takes nothing for the
 * stall time is cut (the response is reset). Confined to the response's event loop.
 */
public final class Outbox {
  /** The largest piece handed to the connection at once. */
  static final int SLICE = 64 * 1024;
  private final Vertx vertx;
  private final HttpServerResponse response;
  private final long stallMs;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final Promise<Void> finished = Promise.promise();
  private long pendingBytes;
  private boolean ending;
  private Buffer last;
  private long stallTimer = -1;

  /** One buffer and how much of it is written; {@code written} completes once all of it was. */
  private static final class Pending {
    final Buffer data;
    final Promise<Void> written = Promise.promise();
    int offset;

    Pending(Buffer data) {
      this.data = data;
    }
  }

  public Outbox(Vertx vertx, HttpServerResponse response, long stallMs) {
    this.vertx = vertx;
    this.response = response;
    this.stallMs = stallMs;
    response.drainHandler(v -> pump());
  }

  /** Whether something still waits to be written. */
  public boolean busy() {
    return !queue.isEmpty();
  }

  /** Bytes queued and not yet handed to the connection. */
  public long pendingBytes() {
    return pendingBytes;
  }

  /**
   * Queues data behind what is already waiting. The future completes when the last of it has been
   * written (or fails if the response was closed or cut first).
   */
  public Future<Void> send(Buffer data) {
    if (response.closed() || ending) {
      return Future.failedFuture("the response is closed");
    }
    Pending pending = new Pending(data);
    queue.addLast(pending);
    pendingBytes += data.length();
    pump();
    return pending.written.future();
  }

  /** Ends the response with {@code last} once everything queued before it was written. */
  public Future<Void> end(Buffer last) {
    if (response.closed()) {
      abandon();
      return Future.succeededFuture();
    }
    this.ending = true;
    this.last = last;
    pump();
    return finished.future();
  }

  /** Completes when the response ended, was closed or was cut. */
  public Future<Void> finished() {
    return finished.future();
  }

  private void pump() {
    if (response.closed()) {
      abandon();
      return;
    }
    boolean progressed = false;
    while (!queue.isEmpty() && !response.writeQueueFull()) {
      progressed = true;
      Pending head = queue.peekFirst();
      int end = Math.min(head.data.length(), head.offset + SLICE);
      Buffer slice = head.offset == 0 && end == head.data.length() ? head.data : head.data.slice(head.offset, end);
      pendingBytes -= end - head.offset;
      head.offset = end;
      if (end == head.data.length()) {
        queue.pollFirst();
        response.write(slice).onComplete(head.written);
      } else {
        response.write(slice);
      }
    }
    if (queue.isEmpty()) {
      cancelStall();
      if (ending && !finished.future().isComplete()) {
        response.end(last).onComplete(ar -> finished.tryComplete());
      }
    } else if (progressed || stallTimer < 0) {
      watchStall();
    }
  }

  /** (Re)starts the stall timer while something waits: only progress restarts it. */
  private void watchStall() {
    cancelStall();
    stallTimer = vertx.setTimer(stallMs, t -> {
      stallTimer = -1;
      if (!queue.isEmpty() && !response.closed()) {
        response.reset(); // the client stopped reading: cut it rather than hold its answer
        abandon();
      }
    });
  }

  private void cancelStall() {
    if (stallTimer >= 0) {
      vertx.cancelTimer(stallTimer);
      stallTimer = -1;
    }
  }

  /** The response went away: nothing queued will be written. */
  private void abandon() {
    cancelStall();
    Pending p;
    while ((p = queue.pollFirst()) != null) {
      p.written.tryFail("the response was closed before it was written");
    }
    pendingBytes = 0;
    finished.tryComplete();
  }
}
