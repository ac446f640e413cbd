package org.airshard.app.report;

import java.util.Base64;
import java.util.List;

/**
 * Renders {@link ReportContent} as one self-contained HTML page (inline CSS, pictures as data URIs), written as
 * polyglot HTML: also well-formed XML, so tools can parse it back.
 */
public final class HtmlReport {

    private HtmlReport() {
    }

    public static String render(ReportContent c) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>").append(esc(c.title()))
                .append("</title>\n<style>body{font-family:system-ui,-apple-system,'DejaVu Sans',sans-serif;max-width:960px;"
                        + "margin:2em auto;padding:0 1em;color:#222}h1{font-size:1.5em}h2{border-bottom:1px solid #ddd;"
                        + "padding-bottom:.2em;margin-top:1.6em}table{border-collapse:collapse;margin:.6em 0}"
                        + "td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;font-size:.92em}"
                        + "th{background:#f3f3f3}figure{margin:1em 0}img{max-width:100%}figcaption{color:#666;font-size:.9em}"
                        + "</style></head><body>\n");
        sb.append("<h1>").append(esc(c.title())).append("</h1>\n");
        for (ReportContent.Block b : c.blocks()) {
            if (b instanceof ReportContent.Heading h) {
                sb.append("<h2>").append(esc(h.text())).append("</h2>\n");
            } else if (b instanceof ReportContent.Paragraph p) {
                sb.append("<p>").append(esc(p.text())).append("</p>\n");
            } else if (b instanceof ReportContent.Table t) {
                sb.append("<table><tr>");
                for (String h : t.header()) {
                    sb.append("<th>").append(esc(h)).append("</th>");
                }
                sb.append("</tr>\n");
                for (List<String> row : t.rows()) {
                    sb.append("<tr>");
                    for (String cell : row) {
                        sb.append("<td>").append(esc(cell)).append("</td>");
                    }
                    sb.append("</tr>\n");
                }
                sb.append("</table>\n");
            } else if (b instanceof ReportContent.Picture p) {
                sb.append("<figure><img alt=\"").append(esc(p.caption())).append("\" src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(ReportPictures.png(p.image()))).append("\"/><figcaption>")
                        .append(esc(p.caption())).append("</figcaption></figure>\n");
            }
        }
        sb.append("</body></html>\n");
        return sb.toString();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
