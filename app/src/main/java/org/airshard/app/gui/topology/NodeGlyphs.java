package org.airshard.app.gui.topology;

import javafx.scene.Group;
import javafx.scene.Node;
import javafx.scene.shape.SVGPath;
import org.airshard.planner.topology.DeviceKind;

/**
 * Line icons (24 × 24 viewBox, stroked) for device kinds and the edge server. Colours come from the CSS
 * theme ({@code .glyph}, {@code .kind-<id>}).
 */
public final class NodeGlyphs {

    private static final String CHIP = "M6 6h12v12H6z M9.5 9.5h5v5h-5z M9 2v4 M15 2v4 M9 18v4 M15 18v4 M2 9h4 M2 15h4 M18 9h4 M18 15h4";
    private static final String BOARD = "M3 6h18v12H3z M5 12a2 2 0 1 0 4 0a2 2 0 1 0 -4 0 M12 9h6 M12 12h6 M12 15h4";
    private static final String LAPTOP = "M5 6h14v9H5z M2 18h20";
    private static final String PHONE = "M8 3h8v18H8z M11 18h2";
    private static final String CUSTOM = "M12 3l8 4.5v9L12 21l-8-4.5v-9z M12 8v8 M8 12h8";
    private static final String SERVER = "M12 11v10 M8 21h8 M10.5 11a1.5 1.5 0 1 0 3 0a1.5 1.5 0 1 0 -3 0 "
            + "M8.2 7.6a5 5 0 0 1 7.6 0 M5.6 5a8.6 8.6 0 0 1 12.8 0";
    private static final String LINK = "M4 12h16 M4 12l4-4 M4 12l4 4 M20 12l-4-4 M20 12l-4 4";
    private static final String POINTER = "M5 3l14 8-6 1.5L10 19z";

    private NodeGlyphs() {
    }

    public static String svg(DeviceKind k) {
        return switch (k) {
            case JETSON_ORIN_NANO, JETSON_TX2 -> CHIP;
            case RASPBERRY_PI_5, RASPBERRY_PI_4 -> BOARD;
            case LAPTOP -> LAPTOP;
            case PHONE -> PHONE;
            case CUSTOM -> CUSTOM;
        };
    }

    /** Icon for a device kind, scaled to {@code sizePx}. */
    public static Node icon(DeviceKind k, double sizePx) {
        return icon(svg(k), sizePx);
    }

    public static Node serverIcon(double sizePx) {
        return icon(SERVER, sizePx);
    }

    public static Node linkIcon(double sizePx) {
        return icon(LINK, sizePx);
    }

    public static Node pointerIcon(double sizePx) {
        return icon(POINTER, sizePx);
    }

    private static Node icon(String content, double sizePx) {
        SVGPath p = new SVGPath();
        p.setContent(content);
        p.getStyleClass().add("glyph");
        double s = sizePx / 24.0;
        p.setScaleX(s);
        p.setScaleY(s);
        // SVGPath scales about its centre: wrap so layout bounds match the visual size.
        Group g = new Group(p);
        g.setMouseTransparent(true);
        return g;
    }
}
