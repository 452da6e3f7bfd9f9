package dev.fanin.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * fanin's architecture, stated once as rules that fail the build when broken: the package graph
 * has no cycles, dependencies point down the layers, and no class leans on Vert.x's internals.
 */
class ArchitectureTest {
  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.fanin");
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("dev.fanin.(*)..").should().beFreeOfCycles().check(classes);
  }

  /**
   * The layers, top to bottom: the composition root; intakes (HTTP, the bus, batch runs); named feeds; writers; aggregation;
   * the pipeline that stacks the fetch decorators; the decorators (cache included); and the parts
   * everything may use. Nothing lower imports anything higher.
   */
  @Test
  void dependenciesPointDownTheLayers() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("Root").definedBy("dev.fanin")
        .layer("Intake").definedBy("dev.fanin.http..", "dev.fanin.bus..", "dev.fanin.demo..", "dev.fanin.batch..")
        .layer("Feeds").definedBy("dev.fanin.feeds..")
        .layer("Writers").definedBy("dev.fanin.write..", "dev.fanin.feedwrite..")
        .layer("Aggregation").definedBy("dev.fanin.aggregate..")
        .layer("Pipeline").definedBy("dev.fanin.pipeline..")
        .layer("Fetch").definedBy("dev.fanin.fetch..", "dev.fanin.cache..")
        .layer("Base").definedBy("dev.fanin.policy..", "dev.fanin.config..", "dev.fanin.metrics..",
            "dev.fanin.definition..", "dev.fanin.feedparse..", "dev.fanin.json..", "dev.fanin.security..",
            "dev.fanin.cluster..", "dev.fanin.tracing..")
        .whereLayer("Root").mayNotBeAccessedByAnyLayer()
        .whereLayer("Intake").mayOnlyBeAccessedByLayers("Root")
        .whereLayer("Feeds").mayOnlyBeAccessedByLayers("Root", "Intake")
        .whereLayer("Writers").mayOnlyBeAccessedByLayers("Root", "Intake", "Feeds")
        .whereLayer("Aggregation").mayOnlyBeAccessedByLayers("Root", "Intake", "Feeds", "Writers")
        .whereLayer("Pipeline").mayOnlyBeAccessedByLayers("Root", "Aggregation")
        .whereLayer("Fetch").mayOnlyBeAccessedByLayers("Root", "Intake", "Feeds", "Writers", "Aggregation", "Pipeline")
        .check(classes);
  }

  @Test
  void noClassUsesVertxInternals() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("io.vertx..impl..", "io.vertx..internal..")
        .check(classes);
  }

  /**
   * OpenTelemetry is used in the tracing package only: everything else traces through its small
   * interface, whose no-op stands in when tracing is off.
   */
  @Test
  void onlyTheTracingPackageUsesOpenTelemetry() {
    noClasses().that().resideOutsideOfPackages("dev.fanin.tracing..", "dev.fanin")
        .should().dependOnClassesThat().resideInAnyPackage("io.opentelemetry..", "io.vertx.tracing..")
        .check(classes);
  }

  /** HTTP status codes are chosen in the HTTP intake only (the demo upstream plays an upstream). */
  @Test
  void onlyTheHttpIntakeSetsStatusCodes() {
    noClasses().that().resideOutsideOfPackages("dev.fanin.http..", "dev.fanin.demo..")
        .should().callMethod(io.vertx.core.http.HttpServerResponse.class, "setStatusCode", int.class)
        .check(classes);
  }

  /** Event-bus failure codes are chosen by the bus intake and the feeds' bus API only. */
  @Test
  void onlyTheBusApisChooseFailureCodes() {
    noClasses().that().resideOutsideOfPackages("dev.fanin.bus..", "dev.fanin.feeds..")
        .should().callMethod(io.vertx.core.eventbus.Message.class, "fail", int.class, String.class)
        .check(classes);
  }
}
