package org.airshard.app.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** app → executor → planner-core; planner-core has no JavaFX, network or ONNX; executor has no JavaFX. */
class DependencyDirectionTest {

    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.airshard");

    @Test
    void plannerCoreIsPure() {
        noClasses().that().resideInAPackage("org.airshard.planner..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "ai.onnxruntime..", "io.grpc..",
                        "java.net..", "javax.net..", "io.netty..", "org.airshard.executor..", "org.airshard.app..")
                .check(CLASSES);
    }

    @Test
    void executorHasNoGui() {
        noClasses().that().resideInAPackage("org.airshard.executor..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.airshard.app..")
                .allowEmptyShould(true)
                .check(CLASSES);
    }
}
