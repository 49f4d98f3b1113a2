/*
 * NAME
 *   output_report_html.c - the report as one self-contained HTML page
 * DESCRIPTION
 *   ndr_report_html() writes a complete HTML5 document: inline CSS, an inline SVG chart of
 *   failed recipients per day stacked by cause, and a table of the causes with their count,
 *   change, trend (a small inline SVG line), who acts and the most affected domains and
 *   senders. No script, no external asset, nothing fetched: it reads the same in a mail
 *   client, a browser and an archive. The same page is the HTML part of --format email.
 * TRUST
 *   Names came from bounces: ndr_escape_html() escapes each; numbers and category ids we
 *   write ourselves are escaped as well.
 */
#include "output_report.h"

#define CHART_W     720     /* chart size in px */
#define CHART_H     200
#define CHART_PAD   30      /* room for the axis labels */
#define SPARK_W     120     /* trend line per cause */
#define SPARK_H     24

static const char *const colours[] = {
  "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
  "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f",
};

static const char style[] =
  "body{font-family:system-ui,sans-serif;margin:2em;color:#222;background:#fff}"
  "h1{font-size:1.4em}table{border-collapse:collapse;margin-top:1em}"
  "th,td{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}"
  "td.n{text-align:right}.up{color:#b00}.down{color:#070}.new{font-weight:bold;color:#b00}"
  "small{color:#666}.key{display:inline-block;width:.8em;height:.8em;margin-right:.3em}";

/* colour - the colour of the i-th cause */
static const char *
colour (guint i)
{
  return colours[MIN (i, G_N_ELEMENTS (colours) - 1)];
}

/* chart - an SVG of failures per day, stacked by cause */
static void
chart (GString *out, const NdrReport *report)
{
  guint64 max = 1;
  for (guint d = 0; d < report->days; d++) {
    guint64 sum = 0;
    for (guint i = 0; i < report->causes->len; i++)
      sum += ((NdrReportCause *) g_ptr_array_index (report->causes, i))->per_day[d];
    max = MAX (max, sum);
  }
  double bw = (double) (CHART_W - CHART_PAD) / report->days;
  double scale = (double) (CHART_H - CHART_PAD) / (double) max;
  g_string_append_printf (out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
                          "height=\"%d\" role=\"img\" aria-label=\"failures per day\">"
                          "<rect width=\"100%%\" height=\"100%%\" fill=\"#fafafa\"/>",
                          CHART_W, CHART_H);
  for (guint d = 0; d < report->days; d++) {
    double y = CHART_H - CHART_PAD;
    for (guint i = 0; i < report->causes->len; i++) {
      const NdrReportCause *c = g_ptr_array_index (report->causes, i);
      double h = (double) c->per_day[d] * scale;
      if (h <= 0)
        continue;
      y -= h;
      g_string_append_printf (out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                              "fill=\"%s\"/>", CHART_PAD + d * bw + 1, y, MAX (bw - 2, 1.0), h,
                              colour (i));
    }
  }
  g_string_append_printf (out, "<text x=\"2\" y=\"12\" font-size=\"11\">%" G_GUINT64_FORMAT
                          "</text><text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>"
                          "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s"
                          "</text></svg>", max, CHART_PAD, CHART_H - 8, report->from,
                          CHART_W - 2, CHART_H - 8, report->to);
}

/* spark - a small SVG line of one cause's counts per day */
static void
spark (GString *out, const NdrReport *report, const NdrReportCause *c, guint i)
{
  guint64 max = 1;
  for (guint d = 0; d < report->days; d++)
    max = MAX (max, c->per_day[d]);
  g_string_append_printf (out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
                          "height=\"%d\"><polyline fill=\"none\" stroke=\"%s\" "
                          "stroke-width=\"1.5\" points=\"", SPARK_W, SPARK_H, colour (i));
  for (guint d = 0; d < report->days; d++) {
    double x = report->days > 1 ? (double) d * (SPARK_W - 2) / (report->days - 1) + 1
                                : SPARK_W / 2.0;
    double y = SPARK_H - 2 - (double) c->per_day[d] * (SPARK_H - 4) / (double) max;
    g_string_append_printf (out, "%s%.1f,%.1f", d > 0 ? " " : "", x, y);
  }
  g_string_append (out, "\"/></svg>");
}

/* names - "name (n)<br>" for each of a list, escaped */
static void
names (GString *out, const GPtrArray *list)
{
  for (guint i = 0; i < list->len; i++) {
    const NdrReportTop *t = g_ptr_array_index (list, i);
    ndr_escape_html (out, t->name != NULL ? t->name : "?");
    g_string_append_printf (out, " (%" G_GUINT64_FORMAT ")%s", t->count,
                            i + 1 < list->len ? "<br>" : "");
  }
}

/* row - one cause of the table */
static void
row (GString *out, const NdrReport *report, const NdrReportCause *c, guint i, const char *lang)
{
  g_string_append_printf (out, "<tr><td><span class=\"key\" style=\"background:%s\"></span>",
                          colour (i));
  ndr_escape_html (out, c->category);
  const char *meaning = ndr_report_meaning (c->category, lang);
  if (meaning != NULL) {
    g_string_append (out, "<br><small>");
    ndr_escape_html (out, meaning);
    g_string_append (out, "</small>");
  }
  g_string_append_printf (out, "</td><td class=\"n\">%" G_GUINT64_FORMAT "</td><td class=\"n\">",
                          c->count);
  if (c->previous == 0)
    g_string_append_printf (out, "<span class=\"new\">%s</span>", lang[0] == 'd' ? "neu" : "new");
  else
    g_string_append_printf (out, "<span class=\"%s\">%+" G_GINT64_FORMAT "</span>",
                            c->count > c->previous ? "up" : "down",
                            (gint64) c->count - (gint64) c->previous);
  g_string_append (out, "</td><td>");
  spark (out, report, c, i);
  g_string_append (out, "</td><td>");
  ndr_escape_html (out, ndr_report_owner (c->owner, lang));
  g_string_append (out, "</td><td>");
  names (out, c->domains);
  g_string_append (out, "</td><td>");
  names (out, c->senders);
  g_string_append (out, "</td></tr>\n");
}

/**
 * ndr_report_html:
 * @out: where the page goes
 * @report: the report
 * @lang: "en" or "de"
 *
 * Appends one complete, self-contained HTML document.
 */
void
ndr_report_html (GString *out, const NdrReport *report, const char *lang)
{
  g_string_append_printf (out, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
                          "<title>%s %s .. %s</title><style>%s</style></head><body>\n"
                          "<h1>%s</h1>\n<p>%s: %s .. %s (%u d). %s: <b id=\"total\">%"
                          G_GUINT64_FORMAT "</b> (%s: %" G_GUINT64_FORMAT ")</p>\n",
                          lang, ndr_report_word ("title", lang), report->from, report->to, style,
                          ndr_report_word ("title", lang), ndr_report_word ("period", lang),
                          report->from, report->to, report->days,
                          ndr_report_word ("total", lang), report->total,
                          ndr_report_word ("previous", lang), report->previous);
  if (report->causes->len == 0) {
    g_string_append_printf (out, "<p>%s</p></body></html>\n", ndr_report_word ("none", lang));
    return;
  }
  g_string_append_printf (out, "<h2>%s</h2>\n", ndr_report_word ("daily", lang));
  chart (out, report);
  g_string_append_printf (out, "\n<table id=\"causes\"><tr><th>%s</th><th>%s</th><th>%s</th>"
                          "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
                          ndr_report_word ("cause", lang), ndr_report_word ("count", lang),
                          ndr_report_word ("change", lang), ndr_report_word ("trend", lang),
                          ndr_report_word ("acts", lang), ndr_report_word ("domains", lang),
                          ndr_report_word ("senders", lang));
  for (guint i = 0; i < report->causes->len; i++)
    row (out, report, g_ptr_array_index (report->causes, i), i, lang);
  g_string_append (out, "</table>\n</body></html>\n");
}
