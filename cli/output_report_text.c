/*
 * NAME
 *   output_report_text.c - the words of why/search/report in English and German; the text report
 * DESCRIPTION
 *   words[] holds each label in both languages, owners[] who acts, meanings_de[] the German
 *   sentence for each category (the English one is rules/categories.tsv's meaning column).
 *   ndr_report_trend() draws a count per day as one line of block characters.
 *   ndr_report_text() writes the report for a terminal or a mail body.
 * TRUST
 *   Domains and senders in a report came from strangers and go through ndr_printable().
 */
#include "classify.h"
#include "output.h"
#include "output_report.h"

#include <string.h>

#define NAME_MAX_SHOWN 60   /* bytes of a domain or sender in the text report */

static const struct { const char *key, *en, *de; } words[] = {
  { "title",      "Bounce report",                 "Bounce-Bericht" },
  { "period",     "Period",                        "Zeitraum" },
  { "previous",   "previous period",               "Vorperiode" },
  { "total",      "Failed recipients",             "Fehlgeschlagene Empfänger" },
  { "cause",      "Cause",                         "Ursache" },
  { "count",      "Count",                         "Anzahl" },
  { "change",     "Change",                        "Veränderung" },
  { "trend",      "Trend per day",                 "Verlauf pro Tag" },
  { "acts",       "Who acts",                      "Wer handeln muss" },
  { "domains",    "Most affected domains",         "Am stärksten betroffene Domains" },
  { "senders",    "Most affected senders",         "Am stärksten betroffene Absender" },
  { "new",        "New in this period",            "Neu in diesem Zeitraum" },
  { "none",       "No failures in this period.",   "Keine Fehler in diesem Zeitraum." },
  { "stored",     "Stored",                        "Gespeichert" },
  { "messages",   "messages",                      "Nachrichten" },
  { "when",       "When",                          "Wann" },
  { "recipient",  "Recipient",                     "Empfänger" },
  { "code",       "Code",                          "Code" },
  { "instead",    "instead of the misleading",     "statt des irreführenden" },
  { "category",   "Category",                      "Kategorie" },
  { "do",         "What to do",                    "Was zu tun ist" },
  { "happened",   "What happened",                 "Was geschah" },
  { "evidence",   "Evidence",                      "Belege" },
  { "story",      "One story",                     "Zusammenhang" },
  { "reports",    "reports about the same message", "Berichte zur selben Nachricht" },
  { "message",    "Original message",              "Ursprüngliche Nachricht" },
  { "more",       "more not shown (use --limit)",  "weitere nicht gezeigt (--limit)" },
  { "daily",      "Failed recipients per day",     "Fehlgeschlagene Empfänger pro Tag" },
};

static const struct { const char *id, *en, *de; } owners[] = {
  { "sender-user",     "the sender",                      "der Absender" },
  { "sender-admin",    "the sender's mail administrator", "die Mail-Administration des Absenders" },
  { "recipient-admin", "the recipient's mail administrator",
                       "die Mail-Administration des Empfängers" },
  { "recipient-user",  "the recipient",                   "der Empfänger" },
  { "provider",        "the mail provider",               "der Mail-Anbieter" },
  { "none",            "nobody: the queue retries by itself",
                       "niemand: der Server versucht es selbst erneut" },
};

static const struct { const char *id, *de; } meanings_de[] = {
  { "user-unknown",       "beim Empfänger gibt es kein Postfach dieser Adresse" },
  { "mailbox-full",       "das Postfach des Empfängers ist voll" },
  { "mailbox-disabled",   "das Postfach ist abgeschaltet, gesperrt oder stillgelegt" },
  { "has-moved",          "der Empfänger ist umgezogen, der Server nennt eine neue Adresse" },
  { "host-unknown",       "die Domain des Empfängers ist im DNS nicht zu finden" },
  { "not-accepting-mail", "die Domain des Empfängers nimmt gar keine Mail an" },
  { "loop",               "die Nachricht kreiste zwischen Servern oder kam doppelt zurück" },
  { "blocklist",          "Adresse oder Domain des sendenden Servers steht auf einer Sperrliste" },
  { "reputation",         "der Empfänger bremst oder filtert den Absender wegen seines Rufs" },
  { "greylisting",        "der Empfänger bittet einen neuen Absender, es später erneut zu versuchen" },
  { "rate-limited",       "zu viele Nachrichten, Empfänger oder Verbindungen in zu kurzer Zeit" },
  { "auth-failure",       "SPF-, DKIM- oder DMARC-Prüfung des Absenders schlug fehl" },
  { "reverse-dns",        "die sendende Adresse hat keinen passenden Reverse-DNS-Eintrag (PTR)" },
  { "ipv6-rejected",      "der Empfänger nimmt keine Mail über IPv6 an" },
  { "relay-denied",       "der Empfänger leitet nicht weiter oder erkennt den Connector nicht" },
  { "sender-blocked",     "Konto, Domain oder Mandant des Absenders darf nicht senden" },
  { "too-large",          "die Nachricht ist größer als ein Limit unterwegs" },
  { "spam",               "der Inhalt wurde als Spam eingestuft" },
  { "virus",              "der Inhalt wurde als Schadsoftware eingestuft" },
  { "policy",             "eine Regel beim Empfänger hat die Nachricht abgelehnt" },
  { "content-error",      "die Nachricht selbst ist fehlerhaft (MIME, Header, Zeilenenden)" },
  { "tls-error",          "Verschlüsselung war verlangt, kam aber nicht zustande" },
  { "network-error",      "die Server erreichten einander nicht, oder DNS schlug fehl" },
  { "expired",            "die Nachricht lag bis zum Ablauf in der Warteschlange" },
  { "remote-system-error", "das empfangende System hatte einen internen Fehler" },
  { "mailer-error",       "ein lokales Zustellprogramm oder die Serverkonfiguration versagte" },
  { "syntax-error",       "ein SMTP-Befehl oder seine Argumente waren falsch" },
  { "unknown",            "es gibt Belege, aber keine Regel erklärt sie" },
};

/* is_de - does lang ask for German? */
static gboolean
is_de (const char *lang)
{
  return g_strcmp0 (lang, "de") == 0;
}

/**
 * ndr_report_word:
 * @key: a key of words[]
 * @lang: "en" or "de"
 *
 * Returns: (transfer none): the label in @lang; @key itself if there is none.
 */
const char *
ndr_report_word (const char *key, const char *lang)
{
  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    if (strcmp (words[i].key, key) == 0)
      return is_de (lang) ? words[i].de : words[i].en;
  return key;
}

/**
 * ndr_report_owner:
 * @owner: (nullable): an owner id of categories.tsv
 * @lang: "en" or "de"
 *
 * Returns: (transfer none) (nullable): who acts, in words; NULL for an unknown id.
 */
const char *
ndr_report_owner (const char *owner, const char *lang)
{
  for (gsize i = 0; owner != NULL && i < G_N_ELEMENTS (owners); i++)
    if (strcmp (owners[i].id, owner) == 0)
      return is_de (lang) ? owners[i].de : owners[i].en;
  return NULL;
}

/**
 * ndr_report_meaning:
 * @category: (nullable): a category id
 * @lang: "en" or "de"
 *
 * Returns: (transfer none) (nullable): the category in one sentence; NULL if unknown.
 */
const char *
ndr_report_meaning (const char *category, const char *lang)
{
  if (category == NULL)
    return NULL;
  for (gsize i = 0; is_de (lang) && i < G_N_ELEMENTS (meanings_de); i++)
    if (strcmp (meanings_de[i].id, category) == 0)
      return meanings_de[i].de;
  const NdrCategory *cat = ndr_category_lookup (category);
  return cat != NULL ? cat->meaning : NULL;
}

/**
 * ndr_report_trend:
 * @per_day: counts, one per day
 * @days: how many
 *
 * Returns: (transfer full): one block character per day, scaled to the largest count;
 * a space for a day with none.
 */
char *
ndr_report_trend (const guint64 *per_day, guint days)
{
  static const char *const blocks[] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
  guint64 max = 0;
  for (guint i = 0; i < days; i++)
    max = MAX (max, per_day[i]);
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < days; i++) {
    if (per_day[i] == 0)
      g_string_append_c (out, ' ');
    else
      g_string_append (out, blocks[(per_day[i] * 8 + max - 1) / max - 1]);
  }
  return g_string_free (out, FALSE);
}

/* change - "+3", "-2", "=", "new" against the previous period */
static char *
change (guint64 now, guint64 before, const char *lang)
{
  if (before == 0 && now > 0)
    return g_strdup (is_de (lang) ? "neu" : "new");
  if (now == before)
    return g_strdup ("=");
  gint64 d = (gint64) now - (gint64) before;
  return g_strdup_printf ("%+" G_GINT64_FORMAT " (%+.0f%%)", d,
                          100.0 * (double) d / (double) before);
}

/* tops - "name (n), name (n)" of a cause's domains or senders, cleaned */
static void
tops (GString *out, const GPtrArray *list)
{
  for (guint i = 0; i < list->len; i++) {
    const NdrReportTop *t = g_ptr_array_index (list, i);
    g_autofree char *name = ndr_printable (t->name != NULL ? t->name : "?", -1,
                                           NAME_MAX_SHOWN, NDR_PRINTABLE_ONE_LINE);
    g_string_append_printf (out, "%s%s (%" G_GUINT64_FORMAT ")", i > 0 ? ", " : "", name,
                            t->count);
  }
}

/* text_cause - the block of one cause */
static void
text_cause (GString *out, const NdrReport *report, const NdrReportCause *c, const char *lang)
{
  g_autofree char *delta = change (c->count, c->previous, lang);
  g_autofree char *trend = ndr_report_trend (c->per_day, report->days);
  const char *owner = ndr_report_owner (c->owner, lang);
  const char *meaning = ndr_report_meaning (c->category, lang);
  g_string_append_printf (out, "%-20s %7" G_GUINT64_FORMAT "  %-14s |%s|\n", c->category,
                          c->count, delta, trend);
  if (meaning != NULL)
    g_string_append_printf (out, "    %s\n", meaning);
  g_string_append_printf (out, "    %s: %s\n", ndr_report_word ("acts", lang),
                          owner != NULL ? owner : "?");
  if (c->domains->len > 0) {
    g_string_append_printf (out, "    %s: ", ndr_report_word ("domains", lang));
    tops (out, c->domains);
    g_string_append_c (out, '\n');
  }
  if (c->senders->len > 0) {
    g_string_append_printf (out, "    %s: ", ndr_report_word ("senders", lang));
    tops (out, c->senders);
    g_string_append_c (out, '\n');
  }
}

/**
 * ndr_report_text:
 * @out: where the report goes
 * @report: the report
 * @lang: "en" or "de"
 *
 * Appends the report for people: totals, each cause with its count, change, trend, who
 * acts and the most affected domains and senders, then the causes new in this period.
 */
void
ndr_report_text (GString *out, const NdrReport *report, const char *lang)
{
  g_string_append_printf (out, "%s, %s %s .. %s (%u d)\n", ndr_report_word ("title", lang),
                          ndr_report_word ("period", lang), report->from, report->to,
                          report->days);
  g_autofree char *delta = change (report->total, report->previous, lang);
  g_string_append_printf (out, "%s: %" G_GUINT64_FORMAT " (%s: %" G_GUINT64_FORMAT ", %s)\n\n",
                          ndr_report_word ("total", lang), report->total,
                          ndr_report_word ("previous", lang), report->previous, delta);
  if (report->total == 0)
    g_string_append_printf (out, "%s\n", ndr_report_word ("none", lang));
  else
    g_string_append_printf (out, "%-20s %7s  %-14s  %s\n", ndr_report_word ("cause", lang),
                            ndr_report_word ("count", lang), ndr_report_word ("change", lang),
                            ndr_report_word ("trend", lang));
  GString *fresh = g_string_new (NULL);
  for (guint i = 0; i < report->causes->len; i++) {
    const NdrReportCause *c = g_ptr_array_index (report->causes, i);
    if (c->count == 0)
      continue;
    text_cause (out, report, c, lang);
    if (c->previous == 0)
      g_string_append_printf (fresh, "%s%s", fresh->len > 0 ? ", " : "", c->category);
  }
  if (fresh->len > 0)
    g_string_append_printf (out, "\n%s: %s\n", ndr_report_word ("new", lang), fresh->str);
  g_string_free (fresh, TRUE);
}
