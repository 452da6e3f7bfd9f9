package dev.fanin.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import dev.fanin.config.ConfigException;
import dev.fanin.config.ConfigLoader;
import dev.fanin.config.FaninConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Hazelcast member configuration fanin builds from its cluster section (no member is started). */
class ClusteringTest {
  static FaninConfig.Cluster cluster(Map<String, String> env) {
    return ConfigLoader.load(null, env).cluster();
  }

  @Test
  void clusteringIsOffByDefaultAndTheEnvironmentTurnsItOn() {
    assertFalse(cluster(Map.of()).enabled());
    FaninConfig.Cluster on = cluster(Map.of("FANIN_CLUSTER_ENABLED", "true",
        "FANIN_CLUSTER_MEMBERS", "10.0.0.1:5701,10.0.0.2,node-3.internal:5801",
        "FANIN_CLUSTER_PORT", "5702", "FANIN_CLUSTER_NAME", "prod"));
    assertTrue(on.enabled());
    assertEquals(List.of("10.0.0.1:5701", "10.0.0.2", "node-3.internal:5801"), on.members());
    assertEquals(5702, on.port());
    assertEquals("prod", on.name());
  }

  @Test
  void tcpDiscoveryListsEveryMemberWithAPortAndNeverMulticasts() {
    Config config = Clustering.hazelcastConfig(cluster(Map.of(
        "FANIN_CLUSTER_MEMBERS", "10.0.0.1:5701,10.0.0.2", "FANIN_CLUSTER_PORT", "5702",
        "FANIN_CLUSTER_NAME", "prod")));
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertFalse(join.getMulticastConfig().isEnabled());
    assertFalse(join.getAutoDetectionConfig().isEnabled());
    assertFalse(join.getKubernetesConfig().isEnabled());
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("10.0.0.1:5701", "10.0.0.2:5702"), join.getTcpIpConfig().getMembers());
    assertEquals("prod", config.getClusterName());
    assertEquals(5702, config.getNetworkConfig().getPort());
    assertFalse(config.getNetworkConfig().isPortAutoIncrement());
    // bound to the configured interface only
    assertTrue(config.getNetworkConfig().getInterfaces().isEnabled());
    assertEquals(List.of("127.0.0.1"), List.copyOf(config.getNetworkConfig().getInterfaces().getInterfaces()));
    assertEquals("false", config.getProperty("hazelcast.socket.bind.any"));
    assertEquals("false", config.getProperty("hazelcast.phone.home.enabled"));
    // vertx-hazelcast's own maps keep their settings
    assertEquals(1, config.getMapConfig("__vertx.nodeInfo").getBackupCount());
  }

  @Test
  void withoutMembersANodeLooksForItselfOnly() {
    Config config = Clustering.hazelcastConfig(cluster(Map.of()));
    assertEquals(List.of("127.0.0.1:5701"), config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers());
  }

  @Test
  void aPublicHostIsWhatOtherMembersAreToldToUse() {
    Config config = Clustering.hazelcastConfig(cluster(Map.of("FANIN_CLUSTER_HOST", "0.0.0.0",
        "FANIN_CLUSTER_PUBLIC_HOST", "fanin-2")));
    assertEquals("fanin-2:5701", config.getNetworkConfig().getPublicAddress());
    assertFalse(config.getNetworkConfig().getInterfaces().isEnabled(), "0.0.0.0 binds every interface");
  }

  @Test
  void kubernetesDiscoveryUsesTheServiceInsteadOfAMemberList() {
    Config config = Clustering.hazelcastConfig(cluster(Map.of("FANIN_CLUSTER_DISCOVERY", "kubernetes",
        "FANIN_CLUSTER_KUBERNETES_NAMESPACE", "feeds", "FANIN_CLUSTER_KUBERNETES_SERVICE", "fanin-hazelcast",
        "FANIN_CLUSTER_HOST", "0.0.0.0")));
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertTrue(join.getKubernetesConfig().isEnabled());
    assertFalse(join.getTcpIpConfig().isEnabled());
    assertFalse(join.getMulticastConfig().isEnabled());
    assertEquals("feeds", join.getKubernetesConfig().getProperty("namespace"));
    assertEquals("fanin-hazelcast", join.getKubernetesConfig().getProperty("service-name"));
  }

  @Test
  void badClusterSettingsNameTheKey() {
    ConfigException port = assertThrows(ConfigException.class,
        () -> cluster(Map.of("FANIN_CLUSTER_MEMBERS", "10.0.0.1:99999")));
    assertTrue(port.getMessage().contains("cluster.members"), port.getMessage());
    ConfigException junk = assertThrows(ConfigException.class,
        () -> cluster(Map.of("FANIN_CLUSTER_MEMBERS", "a b")));
    assertTrue(junk.getMessage().contains("cluster.members"), junk.getMessage());
    ConfigException discovery = assertThrows(ConfigException.class,
        () -> cluster(Map.of("FANIN_CLUSTER_DISCOVERY", "multicast")));
    assertTrue(discovery.getMessage().contains("cluster.discovery"), discovery.getMessage());
  }

  @Test
  void aMemberWithoutPortGetsTheClusterPort() {
    assertEquals("h:5701", Clustering.withPort("h", 5701));
    assertEquals("h:6000", Clustering.withPort("h:6000", 5701));
    assertEquals("[::1]:6000", Clustering.withPort("[::1]:6000", 5701));
    assertEquals("[::1]:5701", Clustering.withPort("[::1]", 5701));
  }

  @Test
  void onlyLoopbackKeepsClusterTrafficOnTheMachine() {
    assertTrue(Clustering.isLoopback("127.0.0.1"));
    assertTrue(Clustering.isLoopback("localhost"));
    assertFalse(Clustering.isLoopback("0.0.0.0"));
    assertFalse(Clustering.isLoopback("10.1.2.3"));
  }
}
