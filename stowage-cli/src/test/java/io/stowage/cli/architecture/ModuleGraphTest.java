package io.stowage.cli.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module graph, as rules on the main classes of every module the distribution carries (this
 * module sees them all): which layer may use which, and where the process's environment may be
 * read. Maven's dependencies already stop a module from importing one it does not declare; these
 * rules also fail when someone adds such a dependency to a pom, and they see inside modules.
 */
class ModuleGraphTest {
  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.stowage");
  }

  @Test
  void layersOnlyUseTheLayersBelowThem() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("common")
        .definedBy("io.stowage.common..")
        .layer("storage")
        .definedBy("io.stowage.storage..")
        .layer("oci")
        .definedBy("io.stowage.oci..")
        .layer("serving")
        .definedBy("io.stowage.serving..")
        .layer("controller")
        .definedBy("io.stowage.controller..")
        .layer("cli")
        .definedBy("io.stowage.cli..")
        .layer("testkit")
        .definedBy("io.stowage.testkit..")
        .whereLayer("cli")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("controller")
        .mayOnlyBeAccessedByLayers("cli")
        // The planner knows nothing of transfers, and transfers nothing of the planner.
        .whereLayer("serving")
        .mayOnlyBeAccessedByLayers("controller", "cli")
        .whereLayer("oci")
        .mayOnlyBeAccessedByLayers("cli")
        .whereLayer("storage")
        .mayOnlyBeAccessedByLayers("oci", "cli")
        .whereLayer("common")
        .mayOnlyBeAccessedByLayers("storage", "oci", "serving", "controller", "cli")
        // Only quickstart's embedded S3 server, until it seeds through Stowage's own push and the
        // testkit leaves the runtime classpath (issue 16).
        .whereLayer("testkit")
        .mayOnlyBeAccessedByLayers("cli")
        .check(main);
    noClasses()
        .that()
        .resideInAPackage("io.stowage.cli..")
        .and()
        .resideOutsideOfPackage("io.stowage.cli.quickstart..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.stowage.testkit..")
        .because("only quickstart still needs the testkit at run time")
        .check(main);
  }

  @Test
  void onlyTheSettingsLayerReadsTheEnvironment() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            // the commands: the process's edge, which hands System.getenv() to the settings
            "io.stowage.cli..",
            // the initializer's settings, the one place its variables are parsed
            "io.stowage.storage.settings..",
            // the controller's log level, read by its SLF4J provider before anything else runs
            "io.stowage.controller.logging..",
            // test infrastructure (CI=true, binary caches)
            "io.stowage.testkit..")
        .should()
        .callMethod(System.class, "getenv")
        .orShould()
        .callMethod(System.class, "getenv", String.class)
        .because("libraries take their settings as values; the environment is read in one place")
        .check(main);
  }
}
