package org.airshard.app.gui.common;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.canvas.Canvas;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.BackgroundFill;
import javafx.scene.layout.BorderStroke;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import javafx.scene.shape.ArcTo;
import javafx.scene.shape.Circle;
import javafx.scene.shape.ClosePath;
import javafx.scene.shape.CubicCurveTo;
import javafx.scene.shape.HLineTo;
import javafx.scene.shape.Line;
import javafx.scene.shape.LineTo;
import javafx.scene.shape.MoveTo;
import javafx.scene.shape.PathElement;
import javafx.scene.shape.QuadCurveTo;
import javafx.scene.shape.Rectangle;
import javafx.scene.shape.Shape;
import javafx.scene.shape.VLineTo;
import javafx.scene.text.Text;
import javafx.scene.transform.NonInvertibleTransformException;
import javafx.scene.transform.Transform;
import javax.imageio.ImageIO;
import org.airshard.planner.json.Json;

/**
 * Exports a laid-out node (a chart, a panel) as SVG by walking its scene graph: region backgrounds and
 * borders (solid colours) become rectangles, paths, lines, rectangles and circles become the same SVG
 * shapes, text stays text (selectable, scalable), and canvases are embedded as PNG images. Gradients,
 * effects and clips are not reproduced. The walk runs on the FX thread; the file is written atomically
 * in the background.
 */
public final class SvgExport {

    private SvgExport() {
    }

    /** Converts {@code root} now and writes it to {@code target} in the background. */
    public static void export(Node root, Path target, TaskRunner tasks, java.util.function.Consumer<Path> done,
                              java.util.function.Consumer<Throwable> failed) {
        String svg = toSvg(root);
        tasks.submit("export svg", () -> {
            Json.writeAtomically(target, svg.getBytes(StandardCharsets.UTF_8));
            return target;
        }, done::accept, failed::accept);
    }

    /** The SVG document for {@code root} (must be on the FX thread and laid out). */
    public static String toSvg(Node root) {
        root.applyCss();
        if (root instanceof Parent p) {
            p.layout();
        }
        Bounds b = root.getLayoutBounds();
        double w = Math.max(1, b.getWidth());
        double h = Math.max(1, b.getHeight());
        StringBuilder sb = new StringBuilder();
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                + "viewBox=\"%s %s %s %s\" font-family=\"sans-serif\">\n", w, h, n(b.getMinX()), n(b.getMinY()), n(w), n(h)));
        Transform toRoot;
        try {
            toRoot = root.getLocalToSceneTransform().createInverse();
        } catch (NonInvertibleTransformException e) {
            toRoot = Transform.affine(1, 0, 0, 1, 0, 0);
        }
        walk(root, toRoot, sb);
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static void walk(Node node, Transform toRoot, StringBuilder sb) {
        if (!node.isVisible() || node.getOpacity() == 0) {
            return;
        }
        Transform t = toRoot.createConcatenation(node.getLocalToSceneTransform());
        String open = String.format(Locale.ROOT, "<g transform=\"matrix(%s %s %s %s %s %s)\"%s>", n(t.getMxx()), n(t.getMyx()),
                n(t.getMxy()), n(t.getMyy()), n(t.getTx()), n(t.getTy()),
                node.getOpacity() < 1 ? " opacity=\"" + n(node.getOpacity()) + "\"" : "");
        StringBuilder body = new StringBuilder();
        if (node instanceof Region r) {
            region(r, body);
        } else if (node instanceof Text text) {
            text(text, body);
        } else if (node instanceof Shape s) {
            shape(s, body);
        } else if (node instanceof Canvas c) {
            canvas(c, body);
        }
        if (body.length() > 0) {
            sb.append(open).append(body).append("</g>\n");
        }
        if (node instanceof Parent p) {
            for (Node child : p.getChildrenUnmodifiable()) {
                walk(child, toRoot, sb);
            }
        }
    }

    private static void region(Region r, StringBuilder sb) {
        double w = r.getWidth();
        double h = r.getHeight();
        if (w <= 0 || h <= 0) {
            return;
        }
        if (r.getBackground() != null) {
            for (BackgroundFill f : r.getBackground().getFills()) {
                String fill = paint(f.getFill());
                if (fill == null) {
                    continue;
                }
                double x = f.getInsets().getLeft();
                double y = f.getInsets().getTop();
                double fw = w - x - f.getInsets().getRight();
                double fh = h - y - f.getInsets().getBottom();
                if (fw <= 0 || fh <= 0) {
                    continue;
                }
                double rad = f.getRadii() == null ? 0 : f.getRadii().getTopLeftHorizontalRadius();
                if (f.getRadii() != null && f.getRadii().isTopLeftHorizontalRadiusAsPercentage()) {
                    rad *= Math.min(fw, fh);
                }
                sb.append(String.format(Locale.ROOT, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\"%s %s/>", n(x), n(y),
                        n(fw), n(fh), rad > 0 ? " rx=\"" + n(rad) + "\"" : "", fill));
            }
        }
        if (r.getBorder() != null) {
            for (BorderStroke s : r.getBorder().getStrokes()) {
                String stroke = paint(s.getTopStroke());
                double sw = s.getWidths().getTop();
                if (stroke == null || sw <= 0 || s.getTopStyle() == javafx.scene.layout.BorderStrokeStyle.NONE) {
                    continue;
                }
                double x = s.getInsets().getLeft() + sw / 2;
                double y = s.getInsets().getTop() + sw / 2;
                sb.append(String.format(Locale.ROOT, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"none\" %s "
                        + "stroke-width=\"%s\"/>", n(x), n(y), n(w - x - s.getInsets().getRight() - sw / 2),
                        n(h - y - s.getInsets().getBottom() - sw / 2), stroke.replace("fill", "stroke"), n(sw)));
            }
        }
    }

    private static void text(Text t, StringBuilder sb) {
        String s = t.getText();
        if (s == null || s.isBlank()) {
            return;
        }
        String fill = paint(t.getFill());
        if (fill == null) {
            fill = "fill=\"#000000\"";
        }
        double size = t.getFont().getSize();
        String weight = t.getFont().getStyle().toLowerCase(Locale.ROOT).contains("bold") ? " font-weight=\"bold\"" : "";
        double baseline = t.getLayoutBounds().getMinY() + t.getBaselineOffset();
        String[] lines = s.split("\n", -1);
        sb.append(String.format(Locale.ROOT, "<text x=\"%s\" y=\"%s\" font-size=\"%s\"%s %s>", n(t.getX()), n(baseline),
                n(size), weight, fill));
        for (int i = 0; i < lines.length; i++) {
            sb.append(String.format(Locale.ROOT, "<tspan x=\"%s\"%s>%s</tspan>", n(t.getX()),
                    i == 0 ? "" : " dy=\"" + n(size * 1.25) + "\"", escape(lines[i])));
        }
        sb.append("</text>");
    }

    private static void shape(Shape s, StringBuilder sb) {
        String fill = paint(s.getFill());
        String stroke = paint(s.getStroke());
        String style = (fill == null ? "fill=\"none\"" : fill) + (stroke == null ? "" : " "
                + stroke.replace("fill", "stroke") + " stroke-width=\"" + n(s.getStrokeWidth()) + "\"");
        if (!s.getStrokeDashArray().isEmpty()) {
            StringBuilder d = new StringBuilder();
            for (Double v : s.getStrokeDashArray()) {
                d.append(d.length() == 0 ? "" : ",").append(n(v));
            }
            style += " stroke-dasharray=\"" + d + "\"";
        }
        if (s instanceof javafx.scene.shape.Path p) {
            StringBuilder d = new StringBuilder();
            for (PathElement e : p.getElements()) {
                if (e instanceof MoveTo m) {
                    d.append("M").append(n(m.getX())).append(' ').append(n(m.getY())).append(' ');
                } else if (e instanceof LineTo l) {
                    d.append("L").append(n(l.getX())).append(' ').append(n(l.getY())).append(' ');
                } else if (e instanceof HLineTo l) {
                    d.append("H").append(n(l.getX())).append(' ');
                } else if (e instanceof VLineTo l) {
                    d.append("V").append(n(l.getY())).append(' ');
                } else if (e instanceof CubicCurveTo c) {
                    d.append(String.format(Locale.ROOT, "C%s %s %s %s %s %s ", n(c.getControlX1()), n(c.getControlY1()),
                            n(c.getControlX2()), n(c.getControlY2()), n(c.getX()), n(c.getY())));
                } else if (e instanceof QuadCurveTo q) {
                    d.append(String.format(Locale.ROOT, "Q%s %s %s %s ", n(q.getControlX()), n(q.getControlY()), n(q.getX()),
                            n(q.getY())));
                } else if (e instanceof ArcTo a) {
                    d.append(String.format(Locale.ROOT, "A%s %s %s %d %d %s %s ", n(a.getRadiusX()), n(a.getRadiusY()),
                            n(a.getXAxisRotation()), a.isLargeArcFlag() ? 1 : 0, a.isSweepFlag() ? 1 : 0, n(a.getX()), n(a.getY())));
                } else if (e instanceof ClosePath) {
                    d.append("Z ");
                }
            }
            if (d.length() > 0 && fill == null) {
                // unfilled (grid lines, ticks, series lines): one path per sub-path, which every renderer draws alike
                for (String sub : d.toString().trim().split("(?=M)")) {
                    if (!sub.isBlank()) {
                        sb.append("<path d=\"").append(sub.trim()).append("\" ").append(style).append("/>");
                    }
                }
            } else if (d.length() > 0) {
                sb.append("<path d=\"").append(d.toString().trim()).append("\" ").append(style).append("/>");
            }
        } else if (s instanceof Line l) {
            sb.append(String.format(Locale.ROOT, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" %s/>", n(l.getStartX()),
                    n(l.getStartY()), n(l.getEndX()), n(l.getEndY()), style));
        } else if (s instanceof Rectangle r) {
            sb.append(String.format(Locale.ROOT, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" %s/>", n(r.getX()),
                    n(r.getY()), n(r.getWidth()), n(r.getHeight()), style));
        } else if (s instanceof Circle c) {
            sb.append(String.format(Locale.ROOT, "<circle cx=\"%s\" cy=\"%s\" r=\"%s\" %s/>", n(c.getCenterX()),
                    n(c.getCenterY()), n(c.getRadius()), style));
        }
    }

    private static void canvas(Canvas c, StringBuilder sb) {
        if (c.getWidth() < 1 || c.getHeight() < 1) {
            return;
        }
        javafx.scene.SnapshotParameters p = new javafx.scene.SnapshotParameters();
        p.setFill(Color.TRANSPARENT);
        WritableImage img = c.snapshot(p, null);
        int w = (int) img.getWidth(), h = (int) img.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        PixelReader r = img.getPixelReader();
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            r.getPixels(0, y, w, 1, PixelFormat.getIntArgbInstance(), row, 0, w);
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(out, "png", bytes);
        } catch (IOException e) {
            return;
        }
        sb.append(String.format(Locale.ROOT, "<image width=\"%s\" height=\"%s\" href=\"data:image/png;base64,%s\"/>",
                n(c.getWidth()), n(c.getHeight()), Base64.getEncoder().encodeToString(bytes.toByteArray())));
    }

    /** {@code fill="#rrggbb"} (with fill-opacity when translucent), or null for no paint / non-colour paints. */
    static String paint(Paint p) {
        if (p instanceof javafx.scene.paint.LinearGradient g && !g.getStops().isEmpty()) {
            p = average(g.getStops());
        } else if (p instanceof javafx.scene.paint.RadialGradient g && !g.getStops().isEmpty()) {
            p = average(g.getStops());
        }
        if (!(p instanceof Color c) || c.getOpacity() == 0) {
            return null;
        }
        String hex = String.format(Locale.ROOT, "#%02x%02x%02x", Math.round(c.getRed() * 255), Math.round(c.getGreen() * 255),
                Math.round(c.getBlue() * 255));
        return c.getOpacity() < 1 ? "fill=\"" + hex + "\" fill-opacity=\"" + n(c.getOpacity()) + "\"" : "fill=\"" + hex + "\"";
    }

    /** A gradient drawn flat: the mean of its stops (charts use subtle gradients on bars). */
    private static Color average(java.util.List<javafx.scene.paint.Stop> stops) {
        double r = 0, g = 0, b = 0, a = 0;
        for (javafx.scene.paint.Stop s : stops) {
            r += s.getColor().getRed();
            g += s.getColor().getGreen();
            b += s.getColor().getBlue();
            a += s.getColor().getOpacity();
        }
        int n = stops.size();
        return Color.color(r / n, g / n, b / n, a / n);
    }

    static String n(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "0";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
