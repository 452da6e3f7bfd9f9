package dev.fanin.testing;

import dev.fanin.cluster.Clustering;
import dev.fanin.config.ConfigLoader;
import dev.fanin.config.FaninConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A test cluster on 127.0.0.1: up to a fixed number of member slots, each with its own Hazelcast
 * port and data folder, all listed as members of each other, under a cluster name of their own.
 * Nodes are started through the production code path (Clustering.start), in this JVM.
 */
public final class ClusterNodes {
  private final String name = "fanin-test-" + UUID.randomUUID();
  private final List<Integer> ports = new ArrayList<>();
  private final List<Path> dataDirs = new ArrayList<>();
  private final List<Vertx> started = new ArrayList<>();
  private final JsonObject extra;

  public ClusterNodes(int slots, JsonObject extra) {
    this.extra = extra;
    for (int i = 0; i < slots; i++) {
      ports.add(FaninHarness.freePort());
      try {
        dataDirs.add(Files.createTempDirectory("fanin-cluster-node" + i));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public String clusterName() {
    return name;
  }

  public Path dataDir(int slot) {
    return dataDirs.get(slot);
  }

  /** The cluster section every node of this test cluster uses, with slot's own port. */
  public JsonObject clusterConfig(int slot) {
    JsonArray members = new JsonArray();
    ports.forEach(p -> members.add("127.0.0.1:" + p));
    return new JsonObject().put("enabled", true).put("name", name).put("host", "127.0.0.1")
        .put("port", ports.get(slot)).put("members", members).put("lockRetryMs", 200);
  }

  /** A clustered Vert.x that joins as the member in this slot, without fanin on it. */
  public Vertx member(int slot) {
    return join(slot).vertx();
  }

  private dev.fanin.cluster.ClusterNode join(int slot) {
    FaninConfig.Cluster cluster = ConfigLoader.fromJson(new JsonObject().put("cluster", clusterConfig(slot))).cluster();
    dev.fanin.cluster.ClusterNode node = Clustering.start(Vertx.builder(), new VertxOptions(), cluster).await();
    started.add(node.vertx());
    return node;
  }

  /** A member running fanin, with the data folder of its slot. */
  public FaninHarness node(int slot) {
    dev.fanin.cluster.ClusterNode member = join(slot);
    JsonObject cfg = extra.copy().put("cluster", clusterConfig(slot));
    JsonObject feeds = cfg.getJsonObject("feeds", new JsonObject()).copy();
    feeds.put("dataDir", dataDirs.get(slot).toString());
    cfg.put("feeds", feeds);
    return new FaninHarness(member.vertx(), cfg, member.view());
  }

  /** Leaves the cluster gracefully: the node's locks are freed and its members told. */
  public static void leave(FaninHarness node) {
    node.stop();
    node.vertx.close().await();
  }

  public void closeAll() {
    for (Vertx vertx : started) {
      try {
        vertx.close().await();
      } catch (RuntimeException e) {
        // closed by the test already
      }
    }
  }
}
