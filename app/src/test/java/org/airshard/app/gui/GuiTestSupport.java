package org.airshard.app.gui;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.Scene;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javax.imageio.ImageIO;

/** Helpers for TestFX tests: PNG snapshots of a scene without javafx-swing. */
public final class GuiTestSupport {

    private GuiTestSupport() {
    }

    /** Snapshots {@code scene} (call on the FX thread) and writes it to {@code target/screenshots/name}. */
    public static Path snapshot(Scene scene, String name) throws IOException {
        WritableImage img = scene.snapshot(null);
        int w = (int) img.getWidth(), h = (int) img.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        PixelReader r = img.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(x, y, r.getArgb(x, y));
            }
        }
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        ImageIO.write(out, "png", file.toFile());
        return file.toAbsolutePath();
    }
}
