/*
 * NAME
 *   output_report_json.c - the report as one JSON document
 * DESCRIPTION
 *   ndr_report_json() writes the period, the totals and each cause with its count, the
 *   previous count, whether it is new, who acts, its count per day and its most affected
 *   domains and senders. docs/report.md lists the keys.
 * TRUST
 *   Names came from bounces: ndr_escape_json() makes each a valid UTF-8 JSON string.
 */
#include "output_report.h"

/* tops - a list of {"name", "count"} */
static void
tops (GString *out, const GPtrArray *list)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < list->len; i++) {
    const NdrReportTop *t = g_ptr_array_index (list, i);
    g_string_append (out, i > 0 ? ",{\"name\":" : "{\"name\":");
    ndr_escape_json (out, t->name);
    g_string_append_printf (out, ",\"count\":%" G_GUINT64_FORMAT "}", t->count);
  }
  g_string_append_c (out, ']');
}

/* cause - one cause as an object */
static void
cause (GString *out, const NdrReport *report, const NdrReportCause *c, const char *lang)
{
  g_string_append (out, "{\"category\":");
  ndr_escape_json (out, c->category);
  g_string_append (out, ",\"meaning\":");
  ndr_escape_json (out, ndr_report_meaning (c->category, lang));
  g_string_append (out, ",\"owner\":");
  ndr_escape_json (out, c->owner);
  g_string_append (out, ",\"who_acts\":");
  ndr_escape_json (out, ndr_report_owner (c->owner, lang));
  g_string_append_printf (out, ",\"count\":%" G_GUINT64_FORMAT ",\"previous\":%" G_GUINT64_FORMAT
                          ",\"new\":%s,\"per_day\":[", c->count, c->previous,
                          c->previous == 0 && c->count > 0 ? "true" : "false");
  for (guint d = 0; d < report->days; d++)
    g_string_append_printf (out, "%s%" G_GUINT64_FORMAT, d > 0 ? "," : "", c->per_day[d]);
  g_string_append (out, "],\"domains\":");
  tops (out, c->domains);
  g_string_append (out, ",\"senders\":");
  tops (out, c->senders);
  g_string_append_c (out, '}');
}

/**
 * ndr_report_json:
 * @out: where the document goes
 * @report: the report
 * @lang: "en" or "de", for meaning and who_acts
 *
 * Appends the report as one JSON document and a line feed.
 */
void
ndr_report_json (GString *out, const NdrReport *report, const char *lang)
{
  g_string_append_printf (out, "{\"from\":\"%s\",\"to\":\"%s\",\"previous_from\":\"%s\","
                          "\"days\":%u,\"total\":%" G_GUINT64_FORMAT ",\"previous\":%"
                          G_GUINT64_FORMAT ",\"lang\":\"%s\",\"causes\":[", report->from,
                          report->to,
                          report->prev_from, report->days, report->total, report->previous, lang);
  for (guint i = 0; i < report->causes->len; i++) {
    if (i > 0)
      g_string_append_c (out, ',');
    cause (out, report, g_ptr_array_index (report->causes, i), lang);
  }
  g_string_append (out, "],\"new_causes\":[");
  gboolean first = TRUE;
  for (guint i = 0; i < report->causes->len; i++) {
    const NdrReportCause *c = g_ptr_array_index (report->causes, i);
    if (c->previous == 0 && c->count > 0) {
      g_string_append (out, first ? "" : ",");
      ndr_escape_json (out, c->category);
      first = FALSE;
    }
  }
  g_string_append (out, "]}\n");
}
