package org.airshard.app.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * Renders {@link ReportContent} as a PDF with PDFBox: A4 pages, text flowed and wrapped, tables as text
 * columns, pictures scaled to the page width. Uses DejaVu Sans when the system has it (every symbol of
 * the report), otherwise Helvetica with symbols outside WinAnsi spelled out.
 */
public final class PdfReport {

    private static final float MARGIN = 50;
    private static final String[] FONT_PATHS = {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
            "/usr/share/fonts/TTF/DejaVuSans.ttf", "/Library/Fonts/DejaVuSans.ttf"};
    private static final String[] BOLD_PATHS = {"/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
            "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf", "/Library/Fonts/DejaVuSans-Bold.ttf"};

    private PdfReport() {
    }

    public static byte[] render(ReportContent c) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            Writer w = new Writer(doc);
            w.text(c.title(), w.bold, 16, 22);
            w.space(6);
            for (ReportContent.Block b : c.blocks()) {
                if (b instanceof ReportContent.Heading h) {
                    w.space(10);
                    w.text(h.text(), w.bold, 13, 18);
                } else if (b instanceof ReportContent.Paragraph p) {
                    w.text(p.text(), w.regular, 10, 13);
                    w.space(4);
                } else if (b instanceof ReportContent.Table t) {
                    w.table(t);
                } else if (b instanceof ReportContent.Picture p) {
                    w.picture(p);
                }
            }
            w.close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    /** Lays text and pictures out top to bottom, starting new pages as needed. */
    private static final class Writer {
        final PDDocument doc;
        final PDFont regular;
        final PDFont bold;
        final boolean unicode;
        PDPage page;
        PDPageContentStream cs;
        float y;
        final float width = PDRectangle.A4.getWidth() - 2 * MARGIN;

        Writer(PDDocument doc) throws IOException {
            this.doc = doc;
            Path r = first(FONT_PATHS), b = first(BOLD_PATHS);
            if (r != null && b != null) {
                regular = PDType0Font.load(doc, r.toFile());
                bold = PDType0Font.load(doc, b.toFile());
                unicode = true;
            } else {
                regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
                bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
                unicode = false;
            }
            newPage();
        }

        static Path first(String[] paths) {
            for (String p : paths) {
                if (Files.isReadable(Path.of(p))) {
                    return Path.of(p);
                }
            }
            return null;
        }

        void newPage() throws IOException {
            if (cs != null) {
                cs.close();
            }
            page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            cs = new PDPageContentStream(doc, page);
            y = PDRectangle.A4.getHeight() - MARGIN;
        }

        void close() throws IOException {
            cs.close();
        }

        void space(float h) throws IOException {
            y -= h;
            if (y < MARGIN) {
                newPage();
            }
        }

        String safe(String s) {
            if (unicode) {
                return s;
            }
            String t = s.replace("σ", "sigma").replace("α", "alpha").replace("≤", "<=").replace("≥", ">=").replace("→", "->")
                    .replace("ₙ", "_n").replace("₀", "0").replace("ᴴ", "^H");
            StringBuilder sb = new StringBuilder();
            for (char ch : t.toCharArray()) {
                sb.append(ch < 256 || "–—×·±".indexOf(ch) >= 0 ? ch : '?');
            }
            return sb.toString();
        }

        float widthOf(String s, PDFont f, float size) throws IOException {
            return f.getStringWidth(s) / 1000 * size;
        }

        void text(String s, PDFont f, float size, float leading) throws IOException {
            for (String line : wrap(safe(s), f, size, width)) {
                space(leading);
                cs.beginText();
                cs.setFont(f, size);
                cs.newLineAtOffset(MARGIN, y);
                cs.showText(line);
                cs.endText();
            }
        }

        List<String> wrap(String s, PDFont f, float size, float max) throws IOException {
            List<String> out = new ArrayList<>();
            StringBuilder line = new StringBuilder();
            for (String word : splitLongWords(s.split(" "), f, size, max)) {
                String cand = line.length() == 0 ? word : line + " " + word;
                if (widthOf(cand, f, size) > max && line.length() > 0) {
                    out.add(line.toString());
                    line = new StringBuilder(word);
                } else {
                    line = new StringBuilder(cand);
                }
            }
            out.add(line.toString());
            return out;
        }

        /** Words wider than a line (paths, hashes) broken into pieces that fit. */
        List<String> splitLongWords(String[] words, PDFont f, float size, float max) throws IOException {
            List<String> out = new ArrayList<>();
            for (String w : words) {
                while (w.length() > 1 && widthOf(w, f, size) > max) {
                    int cut = w.length() - 1;
                    while (cut > 1 && widthOf(w.substring(0, cut), f, size) > max) {
                        cut = Math.max(1, cut * 3 / 4);
                    }
                    while (cut + 1 < w.length() && widthOf(w.substring(0, cut + 1), f, size) <= max) {
                        cut++;
                    }
                    out.add(w.substring(0, cut));
                    w = w.substring(cut);
                }
                out.add(w);
            }
            return out;
        }

        void table(ReportContent.Table t) throws IOException {
            int n = t.header().size();
            float[] col = new float[n];
            float size = 9;
            for (int i = 0; i < n; i++) {
                col[i] = widthOf(safe(t.header().get(i)), bold, size);
                for (List<String> row : t.rows()) {
                    col[i] = Math.max(col[i], widthOf(safe(row.get(i)), regular, size));
                }
            }
            float total = 0;
            for (float c : col) {
                total += c + 12;
            }
            float shrink = total > width ? width / total : 1;
            row(t.header(), col, shrink, bold, size);
            for (List<String> r : t.rows()) {
                row(r, col, shrink, regular, size);
            }
            space(6);
        }

        void row(List<String> cells, float[] col, float shrink, PDFont f, float size) throws IOException {
            space(12);
            float x = MARGIN;
            for (int i = 0; i < cells.size(); i++) {
                String s = safe(cells.get(i));
                float room = (col[i] + 12) * shrink - 4;
                while (s.length() > 1 && widthOf(s, f, size) > room) {
                    s = s.substring(0, s.length() - 2) + "…";
                    if (!unicode) {
                        s = s.replace("…", ".");
                    }
                }
                cs.beginText();
                cs.setFont(f, size);
                cs.newLineAtOffset(x, y);
                cs.showText(s);
                cs.endText();
                x += (col[i] + 12) * shrink;
            }
        }

        void picture(ReportContent.Picture p) throws IOException {
            PDImageXObject img = LosslessFactory.createFromImage(doc, p.image());
            float w = Math.min(width, img.getWidth() * 0.6f);
            float h = w * img.getHeight() / img.getWidth();
            if (y - h - 30 < MARGIN) {
                newPage();
            }
            y -= h + 4;
            cs.drawImage(img, MARGIN, y, w, h);
            text(p.caption(), regular, 8.5f, 11);
            space(6);
        }
    }
}
