package org.airshard.app.gui.charts;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import javafx.scene.Node;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import org.airshard.app.gui.common.Dialogs;
import org.airshard.app.gui.common.PngExport;
import org.airshard.app.gui.common.SvgExport;
import org.airshard.app.gui.common.TaskRunner;

/**
 * Right-click "Export as PNG… / Export as SVG…" on a chart (or any node). The file is chosen with
 * {@link Dialogs}; the extension is added when missing; writing runs on the {@link TaskRunner}.
 */
public final class ChartExport {

    private final Dialogs dialogs;
    private final TaskRunner tasks;
    private final Consumer<String> status;

    /**
     * @param status where "Exported …" and errors are reported (the status bar)
     */
    public ChartExport(Dialogs dialogs, TaskRunner tasks, Consumer<String> status) {
        this.dialogs = dialogs;
        this.tasks = Objects.requireNonNull(tasks);
        this.status = Objects.requireNonNull(status);
    }

    /** The dialogs used (null when files are never chosen, e.g. in tests). */
    public Dialogs dialogs() {
        return dialogs;
    }

    /** Where results are reported (the status bar). */
    public Consumer<String> status() {
        return status;
    }

    /** Adds the context menu to {@code node}; {@code baseName} is the suggested file name without extension. */
    public void install(Node node, String baseName) {
        MenuItem png = new MenuItem("Export as PNG\u2026");
        png.setOnAction(e -> exportPng(node, baseName));
        MenuItem svg = new MenuItem("Export as SVG\u2026");
        svg.setOnAction(e -> exportSvg(node, baseName));
        ContextMenu menu = new ContextMenu(png, svg);
        node.setOnContextMenuRequested(e -> menu.show(node, e.getScreenX(), e.getScreenY()));
    }

    public void exportPng(Node node, String baseName) {
        choose(baseName, "png").ifPresent(p -> PngExport.export(node, p, 2.0, tasks, saved -> status.accept("Exported " + saved),
                err -> fail(err)));
    }

    public void exportSvg(Node node, String baseName) {
        choose(baseName, "svg").ifPresent(p -> SvgExport.export(node, p, tasks, saved -> status.accept("Exported " + saved),
                err -> fail(err)));
    }

    private java.util.Optional<Path> choose(String baseName, String ext) {
        if (dialogs == null) {
            return java.util.Optional.empty();
        }
        return dialogs.chooseSaveFile(null, baseName + "." + ext).map(p -> withExtension(p, ext));
    }

    static Path withExtension(Path p, String ext) {
        String name = p.getFileName().toString();
        return name.toLowerCase(java.util.Locale.ROOT).endsWith("." + ext) ? p : p.resolveSibling(name + "." + ext);
    }

    private void fail(Throwable err) {
        if (dialogs != null) {
            dialogs.showError("Cannot export", String.valueOf(err.getMessage()));
        } else {
            status.accept("Export failed: " + err.getMessage());
        }
    }
}
