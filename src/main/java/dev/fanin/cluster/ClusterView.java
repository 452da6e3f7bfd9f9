package dev.fanin.cluster;

import io.vertx.core.Context;
import java.util.List;
import java.util.UUID;

/**
 * What fanin needs to know of the cluster it is in: its node id, the members, whether it is an
 * active member, and when members leave. A process that is not clustered is a cluster of one.
 */
public interface ClusterView {
  /** This node's id (the cluster manager's, or one fixed id per process when not clustered). */
  String nodeId();

  /** Whether this node is an active cluster member (always true when not clustered). */
  boolean active();

  /** The ids of the members as this node sees them (itself alone when not clustered). */
  List<String> members();

  /**
   * Runs an action on the given context whenever a member leaves (gracefully or declared dead), and
   * logs members joining and leaving; returns what removes the listener.
   */
  Runnable onMemberLeft(Context context, Runnable action);

  /** A process on its own. */
  static ClusterView alone() {
    String id = "local-" + UUID.randomUUID();
    return new ClusterView() {
      @Override
      public String nodeId() {
        return id;
      }

      @Override
      public boolean active() {
        return true;
      }

      @Override
      public List<String> members() {
        return List.of(id);
      }

      @Override
      public Runnable onMemberLeft(Context context, Runnable action) {
        return () -> { };
      }
    };
  }
}
