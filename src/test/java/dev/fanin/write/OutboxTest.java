package dev.fanin.write;

import static dev.fanin.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.Fetches;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.junit5.VertxExtension;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What waits to be written to one response: slices of at most 64 KiB, handed over only while the
 * connection takes more, the rest on drain; a client that takes nothing for the stall time is cut.
 */
@ExtendWith(VertxExtension.class)
class OutboxTest {
  Vertx vertx;
  Context loop;
  final Connection connection = new Connection();

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.loop = vertx.getOrCreateContext();
  }

  /**
   * The side of an HttpServerResponse the Outbox sees, under the test's control: its write queue is
   * full once {@code room} writes were handed over, until the test makes room and drains it.
   */
  static final class Connection {
    final List<Buffer> writes = new CopyOnWriteArrayList<>();
    final AtomicReference<Buffer> ended = new AtomicReference<>();
    volatile int room = Integer.MAX_VALUE;
    volatile boolean closed;
    volatile boolean reset;
    volatile Handler<Void> drain;
    final HttpServerResponse response = (HttpServerResponse) Proxy.newProxyInstance(
        HttpServerResponse.class.getClassLoader(), new Class<?>[] {HttpServerResponse.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "drainHandler":
              drain = cast(args[0]);
              return proxy;
            case "closed":
              return closed;
            case "writeQueueFull":
              return writes.size() >= room;
            case "write":
              writes.add((Buffer) args[0]);
              return Future.succeededFuture();
            case "end":
              ended.set(args == null ? Buffer.buffer() : (Buffer) args[0]);
              closed = true;
              return Future.succeededFuture();
            case "reset":
              reset = true;
              closed = true;
              return Future.succeededFuture();
            case "toString":
              return "a fake response";
            default:
              throw new UnsupportedOperationException(method.getName());
          }
        });

    @SuppressWarnings("unchecked")
    static Handler<Void> cast(Object handler) {
      return (Handler<Void>) handler;
    }

    int written() {
      return writes.stream().mapToInt(Buffer::length).sum();
    }
  }

  Outbox outbox(long stallMs) {
    AtomicReference<Outbox> made = new AtomicReference<>();
    Fetches.on(loop, () -> made.set(new Outbox(vertx, connection.response, stallMs)));
    return made.get();
  }

  /** Makes room for {@code more} writes and tells the Outbox the connection drained. */
  void drain(int more) {
    connection.room = connection.writes.size() + more;
    Fetches.on(loop, () -> connection.drain.handle(null));
  }

  static Buffer bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) ('a' + i % 26);
    }
    return Buffer.buffer(b);
  }

  @Test
  void aLargeBufferIsHandedOverInSlicesOfAtMost64KiB() {
    Outbox outbox = outbox(5_000);
    Buffer data = bytes(3 * Outbox.SLICE + 100);
    Future<Void> sent = Fetches.run(loop, () -> outbox.send(data));
    assertTrue(sent.succeeded());
    assertEquals(List.of(Outbox.SLICE, Outbox.SLICE, Outbox.SLICE, 100),
        connection.writes.stream().map(Buffer::length).toList());
    Buffer joined = Buffer.buffer();
    connection.writes.forEach(joined::appendBuffer);
    assertEquals(data, joined);
  }

  @Test
  void whileTheConnectionIsFullTheRestWaitsForItToDrain() {
    Outbox outbox = outbox(5_000);
    connection.room = 1;
    int size = 3 * Outbox.SLICE;
    var sent = Fetches.start(loop, () -> outbox.send(bytes(size)));
    Fetches.on(loop, () -> { });
    assertEquals(1, connection.writes.size());
    assertEquals(size - Outbox.SLICE, outbox.pendingBytes());
    assertTrue(outbox.busy());
    assertFalse(sent.isDone());

    drain(1);
    assertEquals(2, connection.writes.size());
    assertEquals(Outbox.SLICE, outbox.pendingBytes());
    drain(10);
    assertEquals(size, connection.written());
    assertFalse(outbox.busy());
    assertEquals(0, outbox.pendingBytes());
    assertTrue(sent.join().succeeded());
  }

  @Test
  void theEndComesAfterEverythingQueuedBeforeIt() {
    Outbox outbox = outbox(5_000);
    connection.room = 1;
    Fetches.on(loop, () -> outbox.send(bytes(2 * Outbox.SLICE)));
    var finished = Fetches.start(loop, () -> outbox.end(Buffer.buffer("last")));
    Fetches.on(loop, () -> { });
    assertNull(connection.ended.get(), "ended before the queued data was written");
    drain(10);
    assertEquals(2 * Outbox.SLICE, connection.written());
    assertEquals("last", connection.ended.get().toString());
    assertTrue(finished.join().succeeded());
    assertTrue(outbox.finished().isComplete());
  }

  @Test
  void aClientThatTakesNothingForTheStallTimeIsCut() {
    Outbox outbox = outbox(200);
    connection.room = 1;
    var sent = Fetches.start(loop, () -> outbox.send(bytes(2 * Outbox.SLICE)));
    assertTrue(eventually(5_000, () -> connection.reset), "the stalled response was never reset");
    assertTrue(sent.join().failed());
    assertTrue(eventually(5_000, () -> outbox.finished().isComplete()));
    assertEquals(0, outbox.pendingBytes());
    assertEquals(1, connection.writes.size());
  }

  @Test
  void progressRestartsTheStallTime() throws Exception {
    // ten slices taken 250 ms apart: 2.5 s in all, longer than the 2 s stall time, never 2 s without progress
    Outbox outbox = outbox(2_000);
    connection.room = 1;
    var sent = Fetches.start(loop, () -> outbox.send(bytes(10 * Outbox.SLICE)));
    for (int i = 1; i < 10; i++) {
      Thread.sleep(250);
      drain(1);
    }
    assertTrue(sent.join().succeeded());
    assertFalse(connection.reset, "a client that kept reading was cut");
    assertEquals(10 * Outbox.SLICE, connection.written());
  }

  @Test
  void aClosedResponseTakesNothing() {
    Outbox outbox = outbox(5_000);
    connection.closed = true;
    assertTrue(Fetches.run(loop, () -> outbox.send(bytes(10))).failed());
    assertTrue(Fetches.run(loop, () -> outbox.end(Buffer.buffer("last"))).succeeded());
    assertTrue(outbox.finished().isComplete());
    assertEquals(0, connection.writes.size());
    assertNull(connection.ended.get());
  }
}
