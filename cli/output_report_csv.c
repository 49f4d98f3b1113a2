/*
 * NAME
 *   output_report_csv.c - the report as CSV, one row per cause
 * DESCRIPTION
 *   ndr_report_csv() writes a header row, then per cause: the period, category, count,
 *   previous count, new (1 or 0), owner, who acts, the most affected domains and senders
 *   ("name n; name n") and the count per day ("n n n", oldest day first). RFC 4180, CRLF.
 * TRUST
 *   Names came from bounces: ndr_escape_csv() quotes every cell and defuses a leading
 *   = + - @ so that no spreadsheet runs it as a formula.
 */
#include "output_report.h"

/* tops - "name n; name n" */
static char *
tops (const GPtrArray *list)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < list->len; i++) {
    const NdrReportTop *t = g_ptr_array_index (list, i);
    g_string_append_printf (s, "%s%s %" G_GUINT64_FORMAT, i > 0 ? "; " : "",
                            t->name != NULL ? t->name : "", t->count);
  }
  return g_string_free (s, FALSE);
}

/**
 * ndr_report_csv:
 * @out: where the rows go
 * @report: the report
 * @lang: "en" or "de", for who acts
 *
 * Appends the header row and one row per cause.
 */
void
ndr_report_csv (GString *out, const NdrReport *report, const char *lang)
{
  g_string_append (out, "from,to,category,count,previous,new,owner,who_acts,domains,senders,"
                        "per_day\r\n");
  for (guint i = 0; i < report->causes->len; i++) {
    const NdrReportCause *c = g_ptr_array_index (report->causes, i);
    g_autofree char *domains = tops (c->domains);
    g_autofree char *senders = tops (c->senders);
    g_autoptr(GString) days = g_string_new (NULL);
    for (guint d = 0; d < report->days; d++)
      g_string_append_printf (days, "%s%" G_GUINT64_FORMAT, d > 0 ? " " : "", c->per_day[d]);
    g_string_append_printf (out, "%s,%s,", report->from, report->to);
    ndr_escape_csv (out, c->category);
    g_string_append_printf (out, ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%d,", c->count,
                            c->previous, c->previous == 0 && c->count > 0);
    ndr_escape_csv (out, c->owner);
    g_string_append_c (out, ',');
    ndr_escape_csv (out, ndr_report_owner (c->owner, lang));
    g_string_append_c (out, ',');
    ndr_escape_csv (out, domains);
    g_string_append_c (out, ',');
    ndr_escape_csv (out, senders);
    g_string_append_printf (out, ",%s\r\n", days->str);
  }
}
