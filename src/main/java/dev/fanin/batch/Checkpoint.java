package dev.fanin.batch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The output file of an earlier run of the same input, as the checkpoint of this one (--resume):
 * the ids it holds a result line for, and their counts. Reading it also repairs it for appending: a
 * partial last line (the earlier run was killed while writing it) and a summary line at the end
 * are cut off. Only the start of each line is read, so a file of a million large results costs
 * one pass and a hash per id.
 */
final class Checkpoint {
  private static final byte[] RESULT = "{\"type\":\"result\",\"id\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SUMMARY = "{\"type\":\"summary\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OK = "\",\"status\":\"ok\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ERROR = "\",\"status\":\"error\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] LATENCY = ",\"latencyMs\":".getBytes(StandardCharsets.US_ASCII);
  /** What is kept of a line's start: enough for the id (64), the status and the latency. */
  private static final int HEAD = 256;

  private final LongSet done = new LongSet();
  private final LongSet failedIds = new LongSet();
  private long ok;
  private long failed;
  private long sumLatencyMs;
  private long cutBytes;

  private Checkpoint() {}

  /** An empty checkpoint (no --resume, or no file yet). */
  static Checkpoint none() {
    return new Checkpoint();
  }

  /** Reads and repairs the file; a missing file is an empty checkpoint. */
  static Checkpoint read(Path file) {
    Checkpoint c = new Checkpoint();
    long keep;
    try (InputStream in = Files.newInputStream(file)) {
      keep = c.scan(in, file);
    } catch (NoSuchFileException e) {
      return c;
    } catch (IOException e) {
      throw new UsageError(file + ": cannot read the checkpoint: " + e.getMessage());
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      long size = channel.size();
      if (keep < size) {
        channel.truncate(keep);
        channel.force(true);
        c.cutBytes = size - keep;
      }
    } catch (IOException e) {
      throw new UsageError(file + ": cannot repair the checkpoint: " + e.getMessage());
    }
    return c;
  }

  /** Reads every line's start; returns the length to keep (up to the last result line). */
  private long scan(InputStream in, Path file) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    byte[] head = new byte[HEAD];
    int headLength = 0;
    long offset = 0;
    long keep = 0;
    long lineNumber = 0;
    int n;
    while ((n = in.read(buffer)) > 0) {
      for (int i = 0; i < n; i++) {
        byte b = buffer[i];
        if (b != '\n') {
          if (headLength < HEAD) {
            head[headLength++] = b;
          }
          continue;
        }
        lineNumber++;
        long lineEnd = offset + i + 1;
        if (line(head, headLength)) {
          keep = lineEnd;
        } else if (!startsWith(head, headLength, SUMMARY)) {
          throw new UsageError(file + ":" + lineNumber + ": not a result line of fanin run, so not a checkpoint"
              + " to resume from");
        }
        headLength = 0;
      }
      offset += n;
    }
    // what follows the last result line goes: a summary (this run's comes at the very end) and
    // whatever follows the last line break, a line cut short by a kill
    return keep;
  }

  /** Counts a result line; false when the line is not one. */
  private boolean line(byte[] head, int length) {
    if (!startsWith(head, length, RESULT)) {
      return false;
    }
    int i = RESULT.length;
    int idStart = i;
    while (i < length && head[i] != '"') {
      i++;
    }
    if (i == idStart || i - idStart > 64 || i >= length) {
      return false;
    }
    String id = new String(head, idStart, i - idStart, StandardCharsets.US_ASCII);
    boolean isOk;
    if (startsAt(head, length, i, OK)) {
      isOk = true;
      i += OK.length;
    } else if (startsAt(head, length, i, ERROR)) {
      isOk = false;
      i += ERROR.length;
    } else {
      return false;
    }
    long latency = 0;
    int at = indexOf(head, length, i, LATENCY);
    if (at >= 0) {
      for (int j = at + LATENCY.length; j < length && head[j] >= '0' && head[j] <= '9'; j++) {
        latency = latency * 10 + (head[j] - '0');
      }
    }
    long hash = Hashes.of(id);
    if (!done.add(hash)) {
      return true; // the same id twice (a file appended to by hand): counted once
    }
    if (isOk) {
      ok++;
    } else {
      failed++;
      failedIds.add(hash);
    }
    sumLatencyMs += latency;
    return true;
  }

  private static boolean startsWith(byte[] head, int length, byte[] prefix) {
    return startsAt(head, length, 0, prefix);
  }

  private static boolean startsAt(byte[] head, int length, int at, byte[] part) {
    if (at + part.length > length) {
      return false;
    }
    for (int i = 0; i < part.length; i++) {
      if (head[at + i] != part[i]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] head, int length, int from, byte[] part) {
    for (int i = from; i + part.length <= length; i++) {
      if (startsAt(head, length, i, part)) {
        return i;
      }
    }
    return -1;
  }

  /** Hashes of the ids the file has a result for. */
  LongSet done() {
    return done;
  }

  /** Whether the file holds a failed result for this id. */
  boolean failed(String id) {
    return failedIds.contains(Hashes.of(id));
  }

  long ok() {
    return ok;
  }

  long failed() {
    return failed;
  }

  long sumLatencyMs() {
    return sumLatencyMs;
  }

  /** Result lines kept. */
  long results() {
    return ok + failed;
  }

  /** Bytes cut off the end: a partial line, a summary. */
  long cutBytes() {
    return cutBytes;
  }
}
