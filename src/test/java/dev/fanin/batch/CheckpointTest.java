package dev.fanin.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output file as the checkpoint of --resume. */
class CheckpointTest {
  static final String OK = "{\"type\":\"result\",\"id\":\"a\",\"status\":\"ok\",\"httpStatus\":200,\"latencyMs\":12,"
      + "\"startMs\":0,\"attempts\":1,\"data\":{\"x\":1},\"cache\":\"miss\",\"ageMs\":0,\"fetchedAt\":\"2026-01-01T00:00:00Z\"}\n";
  static final String FAILED = "{\"type\":\"result\",\"id\":\"b.2\",\"status\":\"error\",\"httpStatus\":null,\"latencyMs\":30,"
      + "\"startMs\":0,\"attempts\":1,\"data\":null,\"cache\":\"miss\",\"ageMs\":0,\"fetchedAt\":\"2026-01-01T00:00:00Z\","
      + "\"error\":{\"kind\":\"connect\",\"message\":\"refused\"}}\n";
  static final String SUMMARY = "{\"type\":\"summary\",\"complete\":false,\"durationMs\":5,\"ok\":1,\"failed\":1}\n";
  @TempDir
  Path dir;

  @Test
  void aPartialLastLineAndATrailingSummaryAreCutAndTheIdsKept() throws Exception {
    Path file = dir.resolve("out.ndjson");
    String partial = "{\"type\":\"result\",\"id\":\"c\",\"status\":\"ok\",\"httpSta";
    Files.writeString(file, OK + FAILED + SUMMARY + partial);
    Checkpoint c = Checkpoint.read(file);
    assertEquals(OK + FAILED, Files.readString(file));
    assertEquals(1, c.ok());
    assertEquals(1, c.failed());
    assertEquals(42, c.sumLatencyMs());
    assertEquals(SUMMARY.length() + partial.length(), c.cutBytes());
    assertTrue(c.done().contains(Hashes.of("a")));
    assertTrue(c.done().contains(Hashes.of("b.2")));
    assertFalse(c.done().contains(Hashes.of("c")));
    assertTrue(c.failed("b.2"));
    assertFalse(c.failed("a"));
  }

  @Test
  void aMissingFileIsAnEmptyCheckpointAndAForeignLineIsRefused() throws Exception {
    assertEquals(0, Checkpoint.read(dir.resolve("none.ndjson")).results());
    Path foreign = dir.resolve("foreign.ndjson");
    Files.writeString(foreign, OK + "hello\n");
    assertEquals(foreign + ":2: not a result line of fanin run, so not a checkpoint to resume from",
        assertThrows(UsageError.class, () -> Checkpoint.read(foreign)).getMessage());
    assertEquals(OK + "hello\n", Files.readString(foreign));
  }
}
