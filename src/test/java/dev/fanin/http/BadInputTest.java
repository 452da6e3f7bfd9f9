package dev.fanin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninExtension;
import dev.fanin.testing.ParserWords;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input gets a clear problem+json answer naming the field, never a 500 or a hang. */
class BadInputTest {
  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withConfig(new JsonObject()
      .put("http", new JsonObject().put("maxBodyBytes", 4096))
      .put("aggregate", new JsonObject().put("maxSources", 3)));
  static final String OK_URL = "http://127.0.0.1:9/x";

  static Stream<Arguments> badDefinitions() {
    return Stream.of(
        Arguments.of("{\"sources\": [", ""),
        Arguments.of("[]", ""),
        Arguments.of("", ""),
        Arguments.of("{\"sources\": []}", "/sources"),
        Arguments.of("{\"sources\": \"x\"}", "/sources"),
        Arguments.of("{}", "/sources"),
        Arguments.of("{\"sources\":[{\"id\":\"a\"}]}", "/sources/0/url"),
        Arguments.of("{\"sources\":[{\"id\":\"a\",\"url\":42}]}", "/sources/0/url"),
        Arguments.of("{\"sources\":[{\"id\":\"a\",\"url\":\"ftp://x/y\"}]}", "/sources/0/url"),
        Arguments.of("{\"sources\":[{\"id\":\"a\",\"url\":\"/relative\"}]}", "/sources/0/url"),
        Arguments.of("{\"sources\":[{\"id\":\"a b\",\"url\":\"" + OK_URL + "\"}]}", "/sources/0/id"),
        Arguments.of("{\"sources\":[{\"id\":\"a\",\"url\":\"" + OK_URL + "\"},{\"id\":\"a\",\"url\":\"" + OK_URL + "\"}]}", "/sources/1/id"),
        Arguments.of("{\"sources\":[{\"id\":\"a\",\"url\":\"" + OK_URL + "\",\"timeoutMs\":\"fast\"}]}", "/sources/0/timeoutMs"),
        Arguments.of("{\"sources\":[{\"id\":\"a\",\"url\":\"" + OK_URL + "\",\"optional\":1}]}", "/sources/0/optional"),
        Arguments.of("{\"sources\":[{\"id\":\"a\",\"url\":\"" + OK_URL + "\",\"body\":\"x\"}]}", "/sources/0/body"),
        Arguments.of("{\"sources\":[{\"id\":\"a\",\"url\":\"" + OK_URL + "\",\"headers\":{\"X-A\":\"1\\r\\nHost: evil\"}}]}", "/sources/0/headers/X-A"),
        Arguments.of("{\"sources\":[{\"id\":\"a\",\"url\":\"" + OK_URL + "\",\"headers\":{\"Host\":\"evil\"}}]}", "/sources/0/headers/Host"),
        Arguments.of("{\"sources\":[{\"id\":\"a\",\"url\":\"" + OK_URL + "\"}],\"deadlineMs\":-1}", "/deadlineMs"),
        Arguments.of("{\"sources\":[{\"id\":\"a\",\"url\":\"" + OK_URL + "\"}],\"concurrency\":0}", "/concurrency"),
        Arguments.of("{\"sources\":[{\"id\":\"a\",\"url\":\"" + OK_URL + "\"}],\"sorces\":1}", "/sorces"),
        Arguments.of("{\"sources\":[{\"id\":\"a\",\"url\":\"" + OK_URL + "\"}],\"sources\":[]}", ""),
        Arguments.of(tooMany(), "/sources"));
  }

  static String tooMany() {
    JsonArray list = new JsonArray();
    for (int i = 0; i < 4; i++) {
      list.add(new JsonObject().put("id", "s" + i).put("url", OK_URL));
    }
    return new JsonObject().put("sources", list).encode();
  }

  @ParameterizedTest
  @MethodSource("badDefinitions")
  void badDefinitionsGet400NamingTheField(String body, String pointer) {
    HttpResponse<Buffer> res = fixture.fanin().post("/v1/aggregate", "application/json", null, Buffer.buffer(body));
    JsonObject problem = assertProblem(res, 400);
    JsonArray errors = problem.getJsonArray("errors");
    List<String> pointers = errors.stream().map(e -> ((JsonObject) e).getString("pointer")).toList();
    assertTrue(pointers.contains(pointer), "expected " + pointer + " in " + pointers);
  }

  @Test
  void severalErrorsAreReportedAtOnce() {
    String body = "{\"sources\":[{\"id\":\"\",\"url\":\"gopher://x\"}],\"concurrency\":0}";
    JsonObject problem = assertProblem(
        fixture.fanin().post("/v1/aggregate", "application/json", null, Buffer.buffer(body)), 400);
    assertEquals(3, problem.getJsonArray("errors").size());
  }

  @Test
  void aBodyOverTheLimitGets413() {
    Buffer big = Buffer.buffer("{\"sources\":[{\"id\":\"a\",\"url\":\"" + OK_URL + "?" + "x".repeat(5000) + "\"}]}");
    assertProblem(fixture.fanin().post("/v1/aggregate", "application/json", null, big), 413);
  }

  @Test
  void anUnsupportedContentTypeGets415() {
    Buffer body = Buffer.buffer("sources=1");
    assertProblem(fixture.fanin().post("/v1/aggregate", "application/x-www-form-urlencoded", null, body), 415);
    assertProblem(fixture.fanin().post("/v1/aggregate", null, null, body), 415);
  }

  @Test
  void aJsonBodyInACharsetOtherThanUtf8Gets415NamingIt() {
    String definition = "{\"sources\":[{\"id\":\"a\",\"url\":\"" + OK_URL + "\"}],\"deadlineMs\":200}";
    Buffer body = Buffer.buffer(definition);
    assertEquals(201, fixture.fanin().client.request(HttpMethod.PUT, "/v1/feeds/charsets")
        .putHeader("Content-Type", "application/json").sendBuffer(body).await().statusCode());
    for (String contentType : List.of("application/json; charset=iso-8859-1", "application/json;charset=\"UTF-16\"",
        "application/problem+json; charset=windows-1252", "application/json; charset=no-such-charset")) {
      String charset = contentType.substring(contentType.indexOf('=') + 1).replace("\"", "");
      for (HttpResponse<Buffer> res : List.of(
          fixture.fanin().post("/v1/aggregate", contentType, null, body),
          fixture.fanin().post("/v1/feeds/charsets/aggregate", contentType, null, Buffer.buffer("{}")),
          fixture.fanin().client.request(HttpMethod.PUT, "/v1/feeds/charsets").putHeader("Content-Type", contentType)
              .sendBuffer(body).await())) {
        JsonObject problem = assertProblem(res, 415);
        assertTrue(problem.getString("detail").contains("charset " + charset), problem.encode());
        assertTrue(problem.getString("detail").contains("UTF-8"), problem.encode());
      }
    }
    // UTF-8 under any spelling, and US-ASCII (a subset of it), are JSON's own encoding
    for (String contentType : List.of("application/json; charset=utf-8", "application/json; Charset=\"UTF-8\"",
        "application/json; charset=us-ascii", "application/json;charset=utf8")) {
      HttpResponse<Buffer> res = fixture.fanin().post("/v1/aggregate", contentType, null, body);
      assertEquals(502, res.statusCode(), contentType + " -> " + res.bodyAsString());
      assertEquals(200, fixture.fanin().client.request(HttpMethod.PUT, "/v1/feeds/charsets").putHeader("Content-Type", contentType)
          .sendBuffer(body).await().statusCode(), contentType);
    }
    fixture.fanin().client.request(HttpMethod.DELETE, "/v1/feeds/charsets").send().await();
  }

  @Test
  void malformedJsonIsExplainedInTheSendersTermsWhereverABodyIsRead() {
    Buffer nan = Buffer.buffer("{\"sources\": NaN}");
    String detail = "malformed JSON at line 1, column 16: NaN is not a JSON number";
    assertEquals(201, fixture.fanin().client.request(HttpMethod.PUT, "/v1/feeds/syntax").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{\"sources\":[{\"id\":\"a\",\"url\":\"" + OK_URL + "\"}]}")).await().statusCode());
    for (HttpResponse<Buffer> res : List.of(
        fixture.fanin().post("/v1/aggregate", "application/json", null, nan),
        fixture.fanin().post("/v1/feeds/syntax/aggregate", "application/json", null, nan),
        fixture.fanin().client.request(HttpMethod.PUT, "/v1/feeds/syntax").putHeader("Content-Type", "application/json")
            .sendBuffer(nan).await())) {
      JsonObject problem = assertProblem(res, 400);
      assertEquals(detail, problem.getString("detail"));
      assertEquals(new JsonArray().add(new JsonObject().put("pointer", "").put("detail", detail)),
          problem.getJsonArray("errors"));
    }
    fixture.fanin().client.request(HttpMethod.DELETE, "/v1/feeds/syntax").send().await();
    for (String body : List.of("{\"sources\": [1}", "{\"sources\": [] ]", "{\"sources\": [", "{\"a\":1,\"a\":2}",
        "{\"a\": +1}", "{\"a\": 1" + "0".repeat(100) + "}", "[".repeat(100), "{\"a\": \"\u0001\"}")) {
      JsonObject problem = assertProblem(fixture.fanin().post("/v1/aggregate", "application/json", null, Buffer.buffer(body)), 400);
      assertTrue(problem.getString("detail").startsWith("malformed JSON at line 1, column "), problem.encode());
      ParserWords.assertNone(problem.encode());
    }
  }

  @Test
  void anUpstreamsMalformedJsonIsExplainedInTheSameTerms() {
    JsonObject source = new JsonObject().put("id", "nan")
        .put("url", fixture.upstream().url("body=" + "%7B%22price%22%3A%20NaN%7D"));
    HttpResponse<Buffer> res = fixture.fanin().aggregate(new JsonObject().put("sources", new JsonArray().add(source)));
    JsonObject error = res.bodyAsJsonObject().getJsonObject("results").getJsonObject("nan").getJsonObject("error");
    assertEquals("invalid_body", error.getString("kind"), res.bodyAsString());
    assertEquals("malformed JSON body at line 1, column 14: NaN is not a JSON number", error.getString("message"));
  }

  @Test
  void anUnsupportedAcceptGets406() {
    Buffer body = Buffer.buffer(tooMany());
    assertProblem(fixture.fanin().post("/v1/aggregate", "application/json", "image/png", body), 406);
  }

  @Test
  void anUnknownStreamFormatGets400() {
    Buffer body = Buffer.buffer(tooMany());
    JsonObject problem = assertProblem(
        fixture.fanin().post("/v1/aggregate?stream=xml", "application/json", null, body), 400);
    assertEquals("/query/stream", problem.getJsonArray("errors").getJsonObject(0).getString("pointer"));
  }

  @Test
  void unknownPathsAndMethodsAreProblemsToo() {
    assertProblem(fixture.fanin().client.request(HttpMethod.GET, "/nowhere").send().await(), 404);
    assertProblem(fixture.fanin().client.request(HttpMethod.GET, "/v1/aggregate").send().await(), 405);
  }

  static JsonObject assertProblem(HttpResponse<Buffer> res, int status) {
    assertEquals(status, res.statusCode(), res.bodyAsString());
    assertEquals("application/problem+json", res.getHeader("Content-Type"));
    JsonObject problem = res.bodyAsJsonObject();
    assertEquals(status, problem.getInteger("status"));
    assertTrue(problem.getString("type").startsWith("urn:fanin:problem:"));
    assertTrue(problem.getString("title") != null && problem.getString("detail") != null);
    return problem;
  }
}
