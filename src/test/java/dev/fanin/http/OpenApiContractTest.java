package dev.fanin.http;

import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.fanin.testing.ApiContract;
import dev.fanin.testing.FaninExtension;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * src/main/resources/openapi.json stays true: it is a valid OpenAPI 3.1 document, it describes exactly
 * the routes the router serves, every JSON example of docs/api.md and conf/examples validates against
 * its schema, and fanin's own answers validate against the response schemas of their operations.
 */
class OpenApiContractTest {
  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withDefaults();

  private static final JsonObject DOC = ApiContract.DOCUMENT;

  /** swagger-parser reads it as OpenAPI 3.1 with no message: every $ref resolves, every operation is well formed. */
  @Test
  void theDocumentIsAValidOpenApi31Document() {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result = new OpenAPIV3Parser().readContents(DOC.encode(), null, options);
    assertEquals(List.of(), result.getMessages());
    OpenAPI api = result.getOpenAPI();
    assertEquals("3.1.0", api.getOpenapi());
    Set<String> ids = new TreeSet<>();
    int operations = 0;
    for (PathItem item : api.getPaths().values()) {
      for (Operation operation : item.readOperations()) {
        operations++;
        ids.add(operation.getOperationId());
      }
    }
    assertEquals(operations, ids.size(), "every operation has an id of its own");
    assertTrue(api.getComponents().getSchemas().keySet().containsAll(List.of("Definition", "Source", "Rate", "Merge",
        "Complete", "Hedge", "Result", "Timings", "Summary", "Aggregate", "Problem", "FeedDefinition")));
  }

  @Test
  void theDocumentIsServedAsItIsWithoutAKey() throws IOException {
    byte[] resource;
    try (var in = getClass().getResourceAsStream("/openapi.json")) {
      resource = in.readAllBytes();
    }
    HttpResponse<Buffer> res = fixture.fanin().client.get("/openapi.json").send().await();
    assertEquals(200, res.statusCode());
    assertEquals("application/json", res.getHeader("Content-Type"));
    assertEquals(Buffer.buffer(resource), res.body());
    assertEquals(DOC, res.bodyAsJsonObject());
    HttpResponse<Buffer> head = fixture.fanin().client.head("/openapi.json").send().await();
    assertEquals(200, head.statusCode());
    assertEquals("application/json", head.getHeader("Content-Type"));
  }

  /** "GET /v1/feeds/{name}" for every method and path of the router's routes, in OpenAPI's template syntax. */
  private static Set<String> served() {
    Set<String> served = new TreeSet<>();
    for (Route route : fixture.fanin().fanin.routes()) {
      if (route.methods() == null || route.methods().isEmpty()) {
        continue; // handlers for every request (ids, loops, access control), not routes of their own
      }
      assertNotNull(route.getPath(), "a route with methods but no path: describe it in openapi.json");
      String template = route.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}");
      for (HttpMethod method : route.methods()) {
        served.add(method.name() + " " + template);
      }
    }
    return served;
  }

  private static Set<String> documented() {
    Set<String> documented = new TreeSet<>();
    JsonObject paths = DOC.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        documented.add(method.toUpperCase(Locale.ROOT) + " " + path);
      }
    }
    return documented;
  }

  @Test
  void everyServedRouteIsDocumentedAndEveryDocumentedOneIsServed() {
    Set<String> served = served();
    assertTrue(served.contains("POST /v1/aggregate") && served.contains("HEAD /openapi.json"), served.toString());
    assertEquals(served, documented());
  }

  @Test
  void everyProblemTypeFaninSendsIsInTheEnum() throws IOException {
    Set<String> inCode = new TreeSet<>();
    Pattern slug = Pattern.compile("Problem\\.of\\([^,;]+,\\s*\"([a-z-]+)\"|TYPE_BASE \\+ \"([a-z-]+)\""
        + "|Problem\\.of\\([^,;]+,[^,;]*\\?\\s*\"([a-z-]+)\"\\s*:\\s*\"([a-z-]+)\"");
    try (var files = Files.walk(Path.of("src/main/java"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = slug.matcher(Files.readString(file));
        while (m.find()) {
          for (int g = 1; g <= m.groupCount(); g++) {
            if (m.group(g) != null) {
              inCode.add("urn:fanin:problem:" + m.group(g));
            }
          }
        }
      }
    }
    Set<String> documented = new TreeSet<>();
    DOC.getJsonObject("components").getJsonObject("schemas").getJsonObject("Problem").getJsonObject("properties")
        .getJsonObject("type").getJsonArray("enum").forEach(t -> documented.add((String) t));
    assertTrue(inCode.size() > 20, inCode.toString());
    assertEquals(inCode, documented);
  }

  /**
   * The rule for docs/api.md: every ```json block is an example, classified by its shape: sources
   * with params or schedule is a FeedDefinition, sources alone a Definition, id and url a Source, id
   * and status a Result, a urn:fanin:problem: type a Problem, and a block that starts with "timings":
   * the Timings of a result. What follows a line starting with → is prose (the data it gives), and a
   * block with "..." or [...] in place of values is a template, not an example. Anything else fails,
   * so that a new example is either checked or made recognisable.
   */
  @Test
  void everyJsonExampleOfTheDocsValidates() throws IOException {
    String api = Files.readString(Path.of("docs/api.md"), StandardCharsets.UTF_8);
    Matcher block = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(api);
    int checked = 0;
    int templates = 0;
    while (block.find()) {
      String text = block.group(1).split("\\n→")[0].trim();
      if (text.contains("[...]") || text.contains(": result")) {
        templates++;
        continue;
      }
      if (text.startsWith("\"timings\":")) {
        JsonObject wrapped = new JsonObject("{" + text + "}");
        ApiContract.assertValid(ApiContract.schema("Timings"), wrapped.getJsonObject("timings"), text);
        checked++;
        continue;
      }
      JsonObject example = new JsonObject(text);
      ApiContract.assertValid(ApiContract.schema(kind(example, text)), example, text);
      checked++;
    }
    assertEquals(1, templates);
    assertTrue(checked >= 7, "examples checked: " + checked);
  }

  private static String kind(JsonObject example, String text) {
    if (example.containsKey("sources")) {
      return example.containsKey("params") || example.containsKey("schedule") ? "FeedDefinition" : "Definition";
    }
    if (example.containsKey("id") && example.containsKey("url")) {
      return "Source";
    }
    if (example.containsKey("id") && example.containsKey("status")) {
      return "Result";
    }
    if (example.getString("type", "").startsWith("urn:fanin:problem:")) {
      return "Problem";
    }
    fail("a JSON example of docs/api.md of no known shape: " + text);
    return null;
  }

  /** conf/examples holds definitions; conf/feeds holds feeds (the file name is the feed's name). */
  @Test
  void theShippedExamplesAndFeedsValidate() throws IOException {
    int checked = 0;
    for (String[] dirAndSchema : new String[][] {{"conf/examples", "Definition"}, {"conf/feeds", "FeedDefinition"}}) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of(dirAndSchema[0]), "*.json")) {
        for (Path file : files) {
          ApiContract.assertValid(ApiContract.schema(dirAndSchema[1]), new JsonObject(Files.readString(file)),
              file.toString());
          checked++;
        }
      }
    }
    assertTrue(checked >= 4, "files checked: " + checked);
  }

  @Test
  void theSchemasRefuseWhatFaninRefuses() {
    var definition = ApiContract.schema("Definition");
    JsonObject ok = definition(source("a", "https://example.com/"));
    assertTrue(ApiContract.valid(definition, ok));
    assertFalse(ApiContract.valid(definition, ok.copy().put("deadlineMS", 10)), "an unknown field");
    assertFalse(ApiContract.valid(definition, new JsonObject().put("sources", new JsonArray())), "no source");
    assertFalse(ApiContract.valid(definition, definition(source("a b", "https://example.com/"))), "a bad id");
    assertFalse(ApiContract.valid(definition, definition(source("a", "ftp://example.com/"))), "a bad scheme");
    assertFalse(ApiContract.valid(definition, ok.copy().put("complete", new JsonObject().put("when", "any"))),
        "any without count");
    assertFalse(ApiContract.valid(definition, definition(source("a", "https://example.com/")
        .put("hedge", new JsonObject().put("afterMs", 1).put("after", "p95")))), "two hedges");
    assertFalse(ApiContract.valid(definition, ok.copy().put("rate", new JsonObject().put("perSecond", 0))), "rate 0");
    assertFalse(ApiContract.valid(definition, definition(source("a", "https://example.com/")
        .put("headers", new JsonObject().put("X-A", "a\r\nX-B: b")))), "a header with CR LF");
    assertFalse(ApiContract.valid(ApiContract.schema("Result"), new JsonObject().put("id", "a").put("status", "error")),
        "a result without its fields");
  }

  // fanin's own answers, each validated against the schema of its operation, status and media type

  private HttpResponse<Buffer> call(HttpMethod method, String path, String accept, JsonObject body) {
    HttpRequest<Buffer> req = fixture.fanin().client.request(method, path);
    if (accept != null) {
      req.putHeader("Accept", accept);
    }
    if (body == null) {
      return req.send().await();
    }
    return req.putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer()).await();
  }

  /** The body validates against the schema the document gives for this operation, status and media type. */
  private static void assertAnswers(HttpMethod method, String template, HttpResponse<Buffer> res) {
    String where = method + " " + template + " → " + res.statusCode();
    JsonObject operation = DOC.getJsonObject("paths").getJsonObject(template).getJsonObject(method.name().toLowerCase(Locale.ROOT));
    assertNotNull(operation, where);
    JsonObject responses = operation.getJsonObject("responses");
    JsonObject response = responses.getJsonObject(Integer.toString(res.statusCode()),
        responses.getJsonObject(res.statusCode() / 100 + "XX"));
    assertNotNull(response, where + " is not a documented status");
    // the schema repository knows the document's locations as URI fragments: braces percent-encoded
    String pointer = "/paths/" + template.replace("~", "~0").replace("/", "~1").replace("{", "%7B").replace("}", "%7D") + "/" + method.name().toLowerCase(Locale.ROOT)
        + "/responses/" + (responses.containsKey(Integer.toString(res.statusCode())) ? res.statusCode() : res.statusCode() / 100 + "XX");
    if (response.containsKey("$ref")) {
      pointer = response.getString("$ref").substring(1);
      response = resolve(pointer);
    }
    String mediaType = res.getHeader("Content-Type").split(";")[0].trim();
    JsonObject content = response.getJsonObject("content");
    assertNotNull(content, where + " has no documented body");
    JsonObject media = content.getJsonObject(mediaType);
    assertNotNull(media, where + ": " + mediaType + " is not documented");
    String mediaPointer = pointer + "/content/" + mediaType.replace("/", "~1");
    if (media.containsKey("x-fanin-item-schema")) {
      int lines = 0;
      for (String line : res.bodyAsString().split("\n")) {
        String json = line.startsWith("data: ") ? line.substring(6) : line;
        if (json.startsWith("{")) {
          ApiContract.assertValid(ApiContract.at(mediaPointer + "/x-fanin-item-schema"), new JsonObject(json), where + " line");
          lines++;
        }
      }
      assertTrue(lines > 0, where + " sent no line");
      return;
    }
    ApiContract.assertValid(ApiContract.at(mediaPointer + "/schema"), res.bodyAsJsonObject(), where);
  }

  private static JsonObject resolve(String pointer) {
    Object at = DOC;
    for (String part : pointer.substring(1).split("/")) {
      at = ((JsonObject) at).getValue(part.replace("~1", "/").replace("~0", "~"));
    }
    return (JsonObject) at;
  }

  @Test
  void aggregatesOkFailedAndRefusedMatchTheirSchemas() {
    String up = fixture.upstream().url("");
    HttpResponse<Buffer> ok = call(HttpMethod.POST, "/v1/aggregate", null, definition(source("a", up), source("b", up + "?x=1")));
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    assertAnswers(HttpMethod.POST, "/v1/aggregate", ok);

    HttpResponse<Buffer> partial = call(HttpMethod.POST, "/v1/aggregate", null,
        definition(source("a", up), source("b", fixture.upstream().url("status=500"))));
    assertEquals(502, partial.statusCode(), partial.bodyAsString());
    assertAnswers(HttpMethod.POST, "/v1/aggregate", partial);

    // the definition docs/design.md quotes: four mistakes, four errors, each named by its pointer
    HttpResponse<Buffer> invalid = call(HttpMethod.POST, "/v1/aggregate", null,
        definition(source("a", "ftp://example.com/"), source("b", up).put("hedge", new JsonObject().put("afterMs", 0)))
            .put("deadlineMS", 1).put("complete", new JsonObject().put("when", "any")));
    assertEquals(400, invalid.statusCode());
    Set<String> pointers = new TreeSet<>();
    invalid.bodyAsJsonObject().getJsonArray("errors").forEach(e -> pointers.add(((JsonObject) e).getString("pointer")));
    assertEquals(Set.of("/sources/0/url", "/sources/1/hedge/afterMs", "/deadlineMS", "/complete/count"), pointers,
        invalid.bodyAsString());
    assertFalse(ApiContract.valid(ApiContract.schema("Definition"), definition(source("a", "ftp://example.com/"))));
    assertAnswers(HttpMethod.POST, "/v1/aggregate", invalid);

    for (String accept : new String[] {"application/x-ndjson", "text/event-stream"}) {
      HttpResponse<Buffer> stream = call(HttpMethod.POST, "/v1/aggregate", accept,
          definition(source("a", up), source("b", fixture.upstream().url("status=503"))));
      assertEquals(200, stream.statusCode());
      assertAnswers(HttpMethod.POST, "/v1/aggregate", stream);
    }
    HttpResponse<Buffer> notAcceptable = call(HttpMethod.POST, "/v1/aggregate", "image/png", definition(source("a", up)));
    assertEquals(406, notAcceptable.statusCode());
    assertAnswers(HttpMethod.POST, "/v1/aggregate", notAcceptable);
  }

  @Test
  void feedsAndTheirRunsMatchTheirSchemas() {
    JsonObject feed = definition(source("a", fixture.upstream().url("rss=3&type=application/rss%2Bxml")))
        .put("params", new JsonObject().put("q", new JsonObject().put("default", "x")))
        .put("merge", new JsonObject().put("items", true));
    HttpResponse<Buffer> put = call(HttpMethod.PUT, "/v1/feeds/contract", null, feed);
    assertEquals(201, put.statusCode(), put.bodyAsString());
    assertAnswers(HttpMethod.PUT, "/v1/feeds/{name}", put);
    assertAnswers(HttpMethod.GET, "/v1/feeds", call(HttpMethod.GET, "/v1/feeds", null, null));
    assertAnswers(HttpMethod.GET, "/v1/feeds/{name}", call(HttpMethod.GET, "/v1/feeds/contract", null, null));
    HttpResponse<Buffer> run = call(HttpMethod.GET, "/v1/feeds/contract/aggregate?q=y", null, null);
    assertEquals(200, run.statusCode(), run.bodyAsString());
    assertTrue(run.bodyAsJsonObject().getJsonArray("items").size() > 0, run.bodyAsString());
    assertAnswers(HttpMethod.GET, "/v1/feeds/{name}/aggregate", run);
    assertAnswers(HttpMethod.GET, "/v1/feeds/{name}/aggregate",
        call(HttpMethod.GET, "/v1/feeds/contract/aggregate?stream=ndjson", null, null));
    HttpResponse<Buffer> unknownParam = call(HttpMethod.GET, "/v1/feeds/contract/aggregate?nope=1", null, null);
    assertEquals(400, unknownParam.statusCode());
    assertAnswers(HttpMethod.GET, "/v1/feeds/{name}/aggregate", unknownParam);
    HttpResponse<Buffer> notScheduled = call(HttpMethod.GET, "/v1/feeds/contract/events", null, null);
    assertEquals(409, notScheduled.statusCode());
    assertAnswers(HttpMethod.GET, "/v1/feeds/{name}/events", notScheduled);
    HttpResponse<Buffer> missing = call(HttpMethod.GET, "/v1/feeds/missing", null, null);
    assertEquals(404, missing.statusCode());
    assertAnswers(HttpMethod.GET, "/v1/feeds/{name}", missing);
  }

  @Test
  void operationsAnswersMatchTheirSchemas() {
    call(HttpMethod.POST, "/v1/aggregate", null, definition(source("a", fixture.upstream().url("")))); // an origin to list
    for (String path : List.of("/health", "/health/live", "/health/ready", "/v1/circuits", "/v1/origins", "/v1/clients",
        "/v1/cluster")) {
      HttpResponse<Buffer> res = call(HttpMethod.GET, path, null, null);
      assertEquals(200, res.statusCode(), path + " " + res.bodyAsString());
      assertAnswers(HttpMethod.GET, path, res);
    }
    assertTrue(call(HttpMethod.GET, "/v1/origins", null, null).bodyAsJsonObject().getJsonArray("origins").size() > 0);
    HttpResponse<Buffer> notAllowed = call(HttpMethod.DELETE, "/health", null, null);
    assertEquals(405, notAllowed.statusCode());
    assertAnswers(HttpMethod.GET, "/health", notAllowed);
    List<String> metricsTypes = new ArrayList<>(DOC.getJsonObject("paths").getJsonObject("/metrics").getJsonObject("get")
        .getJsonObject("responses").getJsonObject("200").getJsonObject("content").fieldNames());
    HttpResponse<Buffer> metrics = call(HttpMethod.GET, "/metrics", null, null);
    assertEquals(metricsTypes, List.of(metrics.getHeader("Content-Type").split(";")[0]));
  }
}
