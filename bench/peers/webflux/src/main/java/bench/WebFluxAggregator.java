package bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The aggregator a Java team would otherwise write with Spring Boot WebFlux: WebClient,
 * flatMapSequential bounded by the definition's concurrency, one timeout over the whole fan-out,
 * each body decoded as JSON. It serves POST /v1/aggregate with fanin's request body and fanin's
 * response shape. One deliberate change from the defaults, as for the other peers: the connection
 * pool holds up to 2,000 connections (Reactor Netty's default is 2 × cores, at least 16), because the
 * concurrency is the bound the user asked for.
 *
 * <p>java -jar bench/peers/webflux/target/webflux-aggregator.jar --server.port=PORT
 */
@SpringBootApplication
@RestController
public class WebFluxAggregator {
  record Source(String id, String url) {}

  record Definition(List<Source> sources, Integer deadlineMs, Integer concurrency) {}

  private final WebClient client;

  public WebFluxAggregator(WebClient client) {
    this.client = client;
  }

  public static void main(String[] args) {
    SpringApplication.run(WebFluxAggregator.class, args);
  }

  @Bean
  static WebClient webClient() {
    ConnectionProvider pool = ConnectionProvider.builder("bench").maxConnections(2000)
        .pendingAcquireMaxCount(-1).build();
    return WebClient.builder().clientConnector(new ReactorClientHttpConnector(HttpClient.create(pool)))
        .codecs(c -> c.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build();
  }

  @GetMapping("/health")
  Map<String, String> health() {
    return Map.of("status", "UP");
  }

  @PostMapping("/v1/aggregate")
  Mono<Map<String, Object>> aggregate(@RequestBody Definition def) {
    long t0 = System.nanoTime();
    int concurrency = def.concurrency() == null ? 64 : def.concurrency();
    long deadline = def.deadlineMs() == null ? 10_000 : def.deadlineMs();
    return Flux.fromIterable(def.sources())
        .flatMapSequential(s -> fetch(s, t0), concurrency)
        .collectList()
        .timeout(Duration.ofMillis(deadline))
        .map(results -> {
          Map<String, Object> byId = new LinkedHashMap<>();
          boolean complete = true;
          for (Map<String, Object> r : results) {
            byId.put((String) r.get("id"), r);
            complete &= "ok".equals(r.get("status"));
          }
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("complete", complete);
          out.put("durationMs", (System.nanoTime() - t0) / 1e6);
          out.put("results", byId);
          return out;
        });
  }

  private Mono<Map<String, Object>> fetch(Source s, long t0) {
    return Mono.defer(() -> {
      long start = System.nanoTime();
      return client.get().uri(s.url()).exchangeToMono(resp -> resp.bodyToMono(JsonNode.class)
              .map(body -> result(s, resp.statusCode().value() < 400 ? "ok" : "error", resp.statusCode().value(),
                  body, start, t0)))
          .onErrorResume(e -> Mono.just(result(s, "error", 0, null, start, t0)));
    });
  }

  private static Map<String, Object> result(Source s, String status, int http, Object data, long start, long t0) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", s.id());
    r.put("status", status);
    r.put("httpStatus", http == 0 ? null : http);
    r.put("latencyMs", (System.nanoTime() - start) / 1e6);
    r.put("startMs", (start - t0) / 1e6);
    r.put("attempts", 1);
    r.put("data", data);
    return r;
  }
}
