package org.airshard.app.gui.common;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import javafx.scene.Node;
import javafx.scene.SnapshotParameters;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javax.imageio.ImageIO;
import org.airshard.planner.json.Json;

/**
 * Exports a node as a PNG: the snapshot is taken on the FX thread (cheap), the pixel copy and encoding run
 * on the {@link TaskRunner}, the file is written atomically. Uses ImageIO, not javafx-swing.
 */
public final class PngExport {

    private PngExport() {
    }

    /** Snapshots {@code node} now and writes it to {@code target} in the background. */
    public static void export(Node node, Path target, double scale, TaskRunner tasks, java.util.function.Consumer<Path> done,
                              java.util.function.Consumer<Throwable> failed) {
        SnapshotParameters p = new SnapshotParameters();
        p.setTransform(javafx.scene.transform.Transform.scale(scale, scale));
        WritableImage img = node.snapshot(p, null);
        tasks.submit("export png", () -> {
            write(img, target);
            return target;
        }, done::accept, failed::accept);
    }

    /** Encodes {@code img} as PNG and writes it atomically. */
    public static void write(WritableImage img, Path target) throws IOException {
        int w = (int) img.getWidth(), h = (int) img.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        PixelReader r = img.getPixelReader();
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            r.getPixels(0, y, w, 1, javafx.scene.image.PixelFormat.getIntArgbInstance(), row, 0, w);
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(out, "png", bytes)) {
            throw new IOException("no PNG encoder available");
        }
        Json.writeAtomically(target, bytes.toByteArray());
    }
}
