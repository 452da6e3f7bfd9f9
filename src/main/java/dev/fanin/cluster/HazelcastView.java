package dev.fanin.cluster;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.vertx.core.Context;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The cluster as the Hazelcast cluster manager of this node sees it. */
final class HazelcastView implements ClusterView {
  private static final Logger LOG = LoggerFactory.getLogger(Clustering.class);
  private final HazelcastClusterManager manager;

  HazelcastView(HazelcastClusterManager manager) {
    this.manager = manager;
  }

  @Override
  public String nodeId() {
    return manager.getNodeId();
  }

  @Override
  public boolean active() {
    return manager.isActive();
  }

  @Override
  public List<String> members() {
    return List.copyOf(manager.getNodes());
  }

  @Override
  public Runnable onMemberLeft(Context context, Runnable action) {
    if (manager.getHazelcastInstance() == null) {
      return () -> { };
    }
    Cluster cluster = manager.getHazelcastInstance().getCluster();
    UUID id = cluster.addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        LOG.info("cluster member joined: {} at {} ({} members)", vertxNodeId(event.getMember()),
            event.getMember().getAddress(), event.getMembers().size());
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        LOG.warn("cluster member left: {} at {} ({} members)", vertxNodeId(event.getMember()),
            event.getMember().getAddress(), event.getMembers().size());
        context.runOnContext(v -> action.run());
      }
    });
    return () -> {
      try {
        cluster.removeMembershipListener(id);
      } catch (RuntimeException e) {
        // the member is shutting down already
      }
    };
  }

  /** The node id Vert.x gives a member (what /v1/cluster shows), or Hazelcast's own id. */
  private static String vertxNodeId(Member member) {
    String id = member.getAttribute("__vertx.nodeId");
    return id != null ? id : member.getUuid().toString();
  }
}
