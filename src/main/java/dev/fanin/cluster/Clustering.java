package dev.fanin.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.fanin.config.FaninConfig;
import io.vertx.core.Future;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import dev.fanin.policy.UpstreamPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Builds a clustered Vert.x from the cluster section of the configuration: a Hazelcast member
 * (TCP-IP member list or Kubernetes discovery, never multicast) and the event bus's TCP endpoint.
 */
public final class Clustering {
  /** Seconds without a heartbeat after which a member is declared dead. */
  public static final int MEMBER_TIMEOUT_SECONDS = 5;

  private Clustering() {}

  /** Joins the cluster and returns the clustered Vert.x; fails if no member list or port works. */
  public static Future<ClusterNode> start(VertxBuilder builder, VertxOptions options, FaninConfig.Cluster cluster) {
    EventBusOptions bus = options.getEventBusOptions()
        .setHost(cluster.host())
        .setPort(cluster.busPort());
    if (!cluster.publicHost().isEmpty()) {
      bus.setClusterPublicHost(cluster.publicHost());
    }
    options.setEventBusOptions(bus);
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcastConfig(cluster));
    return builder.with(options).withClusterManager(manager).buildClustered()
        .map(vertx -> new ClusterNode(vertx, new HazelcastView(manager)));
  }

  /** The Hazelcast member configuration: explicit, so that nothing is discovered by accident. */
  public static Config hazelcastConfig(FaninConfig.Cluster cluster) {
    // keeps the __vertx.* map settings of vertx-hazelcast's own default configuration
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(cluster.name());
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    // fanin leaves the cluster in its own shutdown sequence (Main), after the intake stopped
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // a member that stops answering (not only one whose socket closed) is declared dead in seconds,
    // so that its scheduled feeds move on promptly
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(MEMBER_TIMEOUT_SECONDS));
    // a peer whose address vanished (a stopped container) does not refuse connections, it ignores
    // them: give up on each reconnection attempt soon, so that the member is suspected in seconds
    config.setProperty("hazelcast.socket.connect.timeout.seconds", "2");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(false);
    if (!cluster.publicHost().isEmpty()) {
      network.setPublicAddress(cluster.publicHost() + ":" + cluster.port());
    }
    if (!isWildcard(cluster.host())) {
      config.setProperty("hazelcast.socket.bind.any", "false");
      network.getInterfaces().setEnabled(true).setInterfaces(List.of(address(cluster.host())));
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (cluster.discovery().equals("kubernetes")) {
      join.getTcpIpConfig().setEnabled(false);
      var kubernetes = join.getKubernetesConfig().setEnabled(true);
      if (!cluster.kubernetesNamespace().isEmpty()) {
        kubernetes.setProperty("namespace", cluster.kubernetesNamespace());
      }
      if (!cluster.kubernetesService().isEmpty()) {
        kubernetes.setProperty("service-name", cluster.kubernetesService());
      }
    } else {
      var tcp = join.getTcpIpConfig().setEnabled(true);
      List<String> members = cluster.members().isEmpty()
          ? List.of(hostForMembers(cluster) + ":" + cluster.port())
          : cluster.members();
      for (String member : members) {
        tcp.addMember(withPort(member, cluster.port()));
      }
    }
    return config;
  }

  /** A member given without a port is looked for on this node's cluster.port. */
  static String withPort(String member, int port) {
    boolean hasPort = member.startsWith("[") ? member.contains("]:") : member.indexOf(':') > 0
        && member.indexOf(':') == member.lastIndexOf(':');
    return hasPort ? member : member + ":" + port;
  }

  private static String hostForMembers(FaninConfig.Cluster cluster) {
    if (!cluster.publicHost().isEmpty()) {
      return cluster.publicHost();
    }
    return isWildcard(cluster.host()) ? "127.0.0.1" : cluster.host();
  }

  /** Hazelcast matches interfaces by IP address: a host name is resolved once, at start. */
  private static String address(String host) {
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cluster.host: cannot resolve " + host, e);
    }
  }

  /** Whether a listen address keeps cluster traffic on this machine. */
  public static boolean isLoopback(String host) {
    InetAddress literal = UpstreamPolicy.literal(host);
    return host.equalsIgnoreCase("localhost") || (literal != null && literal.isLoopbackAddress());
  }

  private static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("*");
  }
}
