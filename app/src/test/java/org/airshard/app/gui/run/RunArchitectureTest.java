package org.airshard.app.gui.run;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The run feature's models and the discovery code stay free of the scene graph and of the FX thread. */
class RunArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.airshard.app.gui.run", "org.airshard.app.discovery");

    @Test
    void modelsDoNotTouchTheSceneGraph() {
        noClasses().that().haveSimpleName("TimelineModel").or().haveSimpleName("BoardRow").or().haveSimpleName("LocalBoards")
                .or().haveSimpleNameEndingWith("ViewModel").or().resideInAPackage("org.airshard.app.discovery..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..", "javafx.stage..", "javafx.application..")
                .check(CLASSES);
    }

    @Test
    void discoveryHasNoJavaFx() {
        noClasses().that().resideInAPackage("org.airshard.app.discovery..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..")
                .check(CLASSES);
    }
}
