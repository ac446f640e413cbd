package org.airshard.app.gui;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** MVVM boundary: ViewModels and the editing model never touch the scene graph. */
class ArchitectureTest {

    private static final JavaClasses GUI = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.airshard.app.gui");

    @Test
    void viewModelsDoNotImportTheSceneGraph() {
        noClasses().that().haveSimpleNameEndingWith("ViewModel")
                .or().haveSimpleNameStartingWith("Topology").and().haveSimpleNameNotEndingWith("Canvas")
                .or().haveSimpleName("Selection").or().haveSimpleName("EditTarget").or().haveSimpleName("PropertyRow")
                .or().haveSimpleName("SnrScale").or().haveSimpleName("Viewport").or().haveSimpleName("LinkKey")
                .or().haveSimpleName("UndoHistory").or().haveSimpleName("TaskRunner").or().haveSimpleName("Dialogs")
                .or().haveSimpleName("Autosave").or().haveSimpleName("RecentFiles").or().haveSimpleName("Samples")
                .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..", "javafx.stage..")
                .check(GUI);
    }

    @Test
    void viewModelsDoNotUseTheFxThreadDirectly() {
        noClasses().that().haveSimpleNameEndingWith("ViewModel")
                .should().dependOnClassesThat().haveFullyQualifiedName("javafx.application.Platform")
                .check(GUI);
    }
}
