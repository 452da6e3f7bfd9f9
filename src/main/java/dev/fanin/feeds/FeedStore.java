package dev.fanin.feeds;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Persists feed records (see {@link FeedRecord}: definitions and tombstones, with revisions) as
 * one JSON file each under {dataDir}/feeds, through Vert.x's asynchronous file
 * system. A write goes to a temporary file, is forced to disk, then renamed over the old one, and
 * the folder is forced too: after a crash at any point a feed file is either the old or the new
 * version, never a torn one.
 */
public final class FeedStore {
  static final String SUFFIX = ".json";
  static final String TEMP_SUFFIX = ".tmp";
  private final Vertx vertx;
  private final FileSystem fs;
  private final Path dir;

  public FeedStore(Vertx vertx, Path dataDir) {
    this.vertx = vertx;
    this.fs = vertx.fileSystem();
    this.dir = dataDir.resolve("feeds");
  }

  public Path dir() {
    return dir;
  }

  /** Creates the folder and removes temporary files a crash may have left behind. */
  public Future<Void> open() {
    return fs.mkdirs(dir.toString())
        .compose(v -> fs.readDir(dir.toString(), ".*" + TEMP_SUFFIX.replace(".", "\\.") + "$"))
        .compose(leftovers -> {
          List<Future<Void>> deletes = new ArrayList<>();
          leftovers.forEach(f -> deletes.add(fs.delete(f)));
          return Future.join(deletes).mapEmpty();
        });
  }

  /** The feed files present, by path. */
  public Future<List<String>> list() {
    return fs.readDir(dir.toString(), ".*" + SUFFIX.replace(".", "\\.") + "$");
  }

  public Future<Buffer> read(String path) {
    return fs.readFile(path);
  }

  /** Writes a feed durably; completes only once the new content is on disk under its name. */
  public Future<Void> write(String name, Buffer content) {
    String target = dir.resolve(name + SUFFIX).toString();
    String temp = dir.resolve(name + SUFFIX + "." + UUID.randomUUID() + TEMP_SUFFIX).toString();
    return fs.open(temp, new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true))
        .compose(file -> file.write(content, 0)
            .compose(v -> file.flush())
            .eventually(() -> file.close()))
        .compose(v -> fs.move(temp, target, new CopyOptions().setReplaceExisting(true).setAtomicMove(true)))
        .compose(v -> syncDir())
        .recover(t -> fs.delete(temp).otherwiseEmpty().compose(v -> Future.failedFuture(t)));
  }

  /** Writes a feed record durably. */
  public Future<Void> write(FeedRecord record) {
    return write(record.name(), record.fileContent());
  }

  /** Removes a feed's file durably (tombstones are written, not removed: see FeedsVerticle). */
  public Future<Void> delete(String name) {
    String target = dir.resolve(name + SUFFIX).toString();
    return fs.exists(target)
        .compose(exists -> exists ? fs.delete(target) : Future.succeededFuture())
        .compose(v -> syncDir());
  }

  /** Forces the folder itself, so that a rename or delete survives a power cut. */
  private Future<Void> syncDir() {
    return vertx.executeBlocking(() -> {
      try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
        channel.force(true);
      } catch (IOException e) {
        // some file systems refuse to open folders; the rename itself is still atomic
      }
      return null;
    }, false);
  }
}
