package org.transplant.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may call whom, as ARCHITECTURE.md draws it: the ground ({@code config}, {@code web}, {@code outbound}, then
 * {@code pod}) knows nothing of the features above it, and the features lean on each other without a cycle.
 */
class FeatureBoundariesTest {

    private static JavaClasses transplant;

    @BeforeAll
    static void importClasses() {
        transplant = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.transplant");
    }

    @Test
    void theGroundKnowsNothingOfTheFeatures() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("config")
                .definedBy("org.transplant.config..")
                .layer("web")
                .definedBy("org.transplant.web..")
                .layer("outbound")
                .definedBy("org.transplant.outbound..")
                .layer("pod")
                .definedBy("org.transplant.pod..")
                .layer("features")
                .definedBy(
                        "org.transplant.archive..",
                        "org.transplant.discovery..",
                        "org.transplant.federation..",
                        "org.transplant.oidc..",
                        "org.transplant.migration..")
                .whereLayer("config")
                .mayNotAccessAnyLayer()
                .whereLayer("web")
                .mayOnlyAccessLayers("config")
                .whereLayer("outbound")
                .mayOnlyAccessLayers("config")
                .whereLayer("pod")
                .mayOnlyAccessLayers("config", "web")
                .check(transplant);
    }

    /**
     * The backup client runs from a jar of its own package and Jackson alone ({@code target/transplant-backup.jar}),
     * so it may use nothing else: a class of the pod there would be missing when a person runs it.
     */
    @Test
    void theBackupClientNeedsOnlyTheJdkAndJackson() {
        classes()
                .that()
                .resideInAPackage("org.transplant.backup..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "org.transplant.backup..", "java..", "com.fasterxml.jackson..", "com.sun.net.httpserver..")
                .check(transplant);
    }

    @Test
    void featuresFormNoCycle() {
        slices().assignedFrom(new Features()).should().beFreeOfCycles().check(transplant);
    }

    /** A feature is a package under org.transplant, or under org.transplant.migration. */
    private static final class Features implements SliceAssignment {

        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String name = javaClass.getPackageName();
            if (!name.startsWith("org.transplant.")) {
                return SliceIdentifier.ignore();
            }
            String[] parts = name.substring("org.transplant.".length()).split("\\.");
            String feature = parts[0].equals("migration") && parts.length > 1 ? "migration." + parts[1] : parts[0];
            return SliceIdentifier.of(feature);
        }

        @Override
        public String getDescription() {
            return "features of Transplant";
        }
    }
}
