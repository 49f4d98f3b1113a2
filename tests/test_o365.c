/*
 * NAME
 *   test_o365.c - unit tests of ndr_html_to_text() and of the Office 365 / Exchange split
 * DESCRIPTION
 *   HTML: table rows as TAB-separated cells, <br> in a cell, skipped script/style/head,
 *   collapsed white space, <pre>, entities, the depth and text limits. Split: corpus files
 *   of helper B (current and older layout, English and German, HTML-only, multi-recipient,
 *   on-premises Exchange) through ndr_parse_bytes(): sections, hops, evidence and its source,
 *   recipients, lang and mta; and messages built here for what the corpus does not show.
 * TRUST
 *   The corpus is found through NDR_SOURCE_ROOT; nothing outside the project is read.
 */
#include "parser_priv.h"

#include <string.h>

static NdrLimits limits;

/* html - ndr_html_to_text() of a NUL-terminated string with the limits in force */
static char *
html (const char *s)
{
  return ndr_html_to_text (s, strlen (s), &limits);
}

static void
test_html_table (void)
{
  g_autofree char *t = html ("<table><tr><th>HOP</th><th>TIME</th><th>FROM</th></tr>"
                             "<tr><td>1</td><td></td><td> a.example.net </td></tr>"
                             "<tr><td>2</td><td>6:40 AM</td><td>b.example.net</td></tr></table>"
                             "<p>after</p>");
  g_assert_cmpstr (t, ==, "HOP\tTIME\tFROM\n1\t\ta.example.net\n2\t6:40 AM\tb.example.net\nafter");
}

static void
test_html_break_in_cell (void)
{
  g_autofree char *t = html ("<table><tr><td>11/29/2026<br>6:58:10 AM</td><td>x</td></tr></table>"
                             "line one<br>line two");
  g_assert_cmpstr (t, ==, "11/29/2026 6:58:10 AM\tx\nline one\nline two");
}

static void
test_html_cells (void)
{
  g_autofree char *data = html ("<table><tr><td><div>11/29/2026</div><div>6:58 AM</div></td>"
                                "<td><p>x</p></td></tr></table>");
  g_assert_cmpstr (data, ==, "11/29/2026 6:58 AM\tx");       /* a data cell stays on its row */
  g_autofree char *layout = html ("<table><tr><td><p>Your message to a@example.com couldn't "
                                  "be delivered.</p><p>More info</p><table><tr><td>1</td>"
                                  "<td>a</td></tr></table></td></tr></table>");
  g_assert_cmpstr (layout, ==, "Your message to a@example.com couldn't be delivered.\n"
                   "More info\n1\ta");                          /* a layout cell keeps lines */
}

static void
test_html_skipped (void)
{
  g_autofree char *t = html ("<html><head><title>DSN</title><style>p {color: red}</style>"
                             "</head><body><script>var x = '5.1.1';</script>"
                             "<p>visible</p><noscript>hidden</noscript><!-- 550 5.7.1 --></body>"
                             "</html>");
  g_assert_cmpstr (t, ==, "visible");
}

static void
test_html_whitespace (void)
{
  g_autofree char *t = html ("<div>  Your   message\n\n to <b>x@example.com</b>&nbsp;couldn&#39;t"
                             " be <i>delivered</i>. </div><h2>More info</h2><ul><li>one</li>"
                             "<li>two &amp; three</li></ul>");
  g_assert_cmpstr (t, ==, "Your message to x@example.com couldn't be delivered.\nMore info\n"
                   "one\ntwo & three");
}

static void
test_html_pre (void)
{
  g_autofree char *t = html ("<p>Original message headers:</p><pre>Received: from a\n"
                             " by b;  Sun\nSubject: x &lt;y&gt;\n</pre><p>end</p>");
  g_assert_cmpstr (t, ==, "Original message headers:\nReceived: from a\n by b;  Sun\n"
                   "Subject: x <y>\nend");
}

static void
test_html_depth (void)
{
  NdrLimits shallow = limits;
  shallow.max_html_depth = 16;
  g_autoptr(GString) s = g_string_new ("<body><p>top</p>");
  for (guint i = 0; i < 40; i++)
    g_string_append (s, "<div>");
  g_string_append (s, "deep");
  g_autofree char *t = ndr_html_to_text (s->str, s->len, &shallow);
  g_assert_nonnull (strstr (t, "top"));
  g_assert_null (strstr (t, "deep"));                /* below the depth limit: skipped */
  g_autofree char *all = ndr_html_to_text (s->str, s->len, &limits);
  g_assert_nonnull (strstr (all, "deep"));           /* within the default limit: kept */
}

static void
test_html_very_deep (void)
{
  g_autoptr(GString) s = g_string_new ("<p>start</p>");
  for (guint i = 0; i < 100000; i++)
    g_string_append (s, i % 2 == 0 ? "<div>" : "<span>");
  g_string_append (s, "bottom");
  g_autofree char *t = ndr_html_to_text (s->str, s->len, &limits);
  g_assert_nonnull (t);                              /* no stack overflow, a result */
  g_assert_true (g_str_has_prefix (t, "start"));
}

static void
test_html_max_text (void)
{
  NdrLimits small = limits;
  small.max_text = 10;
  const char *s = "<p>übermittelt übermittelt übermittelt</p>";
  g_autofree char *t = ndr_html_to_text (s, strlen (s), &small);
  g_assert_cmpuint (strlen (t), <=, 10);
  g_assert_true (g_utf8_validate (t, -1, NULL));     /* never cut inside a character */
  g_autofree char *empty = ndr_html_to_text ("", 0, &limits);
  g_assert_cmpstr (empty, ==, "");
  g_autofree char *junk = html ("<<<>>>&&&\x01\x02");
  g_assert_true (g_utf8_validate (junk, -1, NULL));
}

/* parse_corpus - ndr_parse_bytes() of corpus/NAME.eml */
static NdrMessage *
parse_corpus (const char *name)
{
  const char *root = g_getenv ("NDR_SOURCE_ROOT");
  g_assert_nonnull (root);
  g_autofree char *file = g_strconcat (name, ".eml", NULL);
  g_autofree char *path = g_build_filename (root, "corpus", file, NULL);
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;
  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  return ndr_parse_bytes (data, len, path, &limits);
}

/* find_evidence - the first evidence item of a recipient with that source and status */
static const NdrEvidence *
find_evidence (const NdrRecipient *r, NdrSource source, const char *status)
{
  for (guint i = 0; i < r->evidence->len; i++) {
    const NdrEvidence *ev = g_ptr_array_index (r->evidence, i);
    if (ev->source == source && g_strcmp0 (ev->status, status) == 0)
      return ev;
  }
  return NULL;
}

/* only_recipient - the single recipient of a message */
static NdrRecipient *
only_recipient (const NdrMessage *msg)
{
  g_assert_cmpuint (msg->recipients->len, ==, 1);
  return g_ptr_array_index (msg->recipients, 0);
}

static void
test_split_loop_en (void)
{
  g_autoptr(NdrMessage) msg = parse_corpus ("o365-en-loop-behind-5.1.1");
  g_assert_cmpstr (msg->mta, ==, "o365");
  g_assert_cmpstr (msg->lang, ==, "en");
  g_assert_true (g_str_has_prefix (msg->user_text,
                                   "Your message to jonas.weber@example.net couldn't"));
  g_assert_null (strstr (msg->user_text, "Status code"));
  g_assert_true (g_str_has_prefix (msg->admin_text, "Status code: 554 5.4.6"));
  g_assert_nonnull (strstr (msg->admin_text, "Remote server returned '554 5.4.6"));
  g_assert_null (strstr (msg->admin_text, "HOP"));
  g_assert_true (g_str_has_prefix (msg->original_headers, "Received: from"));
  g_assert_nonnull (strstr (msg->original_headers, "Subject: Quarterly figures"));
  g_assert_cmpuint (msg->hops->len, ==, 5);
  const NdrHop *hop = g_ptr_array_index (msg->hops, 2);
  g_assert_cmpstr (hop->hop, ==, "3");
  g_assert_cmpstr (hop->time, ==, "11/29/2026 6:58:12 AM");
  g_assert_cmpstr (hop->from, ==, "gw.example.net");
  g_assert_cmpstr (hop->to, ==, "AM0PR01MB2222.eurprd01.prod.outlook.example.com");
  g_assert_cmpstr (hop->with, ==, "ESMTPS");
  g_assert_cmpstr (hop->relay_time, ==, "1 sec");
  NdrRecipient *r = only_recipient (msg);
  g_assert_cmpstr (r->address, ==, "jonas.weber@example.net");
  const NdrEvidence *admin = find_evidence (r, NDR_SOURCE_ADMIN_TEXT, "5.4.6");
  g_assert_nonnull (admin);
  g_assert_cmpint (admin->reply_code, ==, 554);
  g_assert_nonnull (find_evidence (r, NDR_SOURCE_USER_TEXT, "5.1.1"));
  const NdrEvidence *loop = find_evidence (r, NDR_SOURCE_HOPS, NULL);   /* gw -> EXO twice */
  g_assert_nonnull (loop);
  g_assert_cmpstr (loop->text, ==, "hop table passes gw.example.net -> "
                   "AM0PR01MB2222.eurprd01.prod.outlook.example.com 2 times");
  gboolean remote = FALSE;
  for (guint i = 0; i < r->evidence->len; i++) {
    const NdrEvidence *ev = g_ptr_array_index (r->evidence, i);
    remote |= ev->source == NDR_SOURCE_ADMIN_TEXT
              && g_str_has_prefix (ev->text, "Remote server returned '554 5.4.6");
  }
  g_assert_true (remote);
}

static void
test_split_loop_de (void)
{
  g_autoptr(NdrMessage) msg = parse_corpus ("o365-de-loop-behind-5.1.1");
  g_assert_cmpstr (msg->mta, ==, "o365");
  g_assert_cmpstr (msg->lang, ==, "de");
  g_assert_true (g_str_has_prefix (msg->user_text, "Ihre Nachricht an jonas.weber@example.net"));
  g_assert_true (g_str_has_prefix (msg->admin_text, "Statuscode: 554 5.4.6"));
  g_assert_true (g_str_has_prefix (msg->original_headers, "Received: from"));
  g_assert_cmpuint (msg->hops->len, ==, 5);
  const NdrHop *hop = g_ptr_array_index (msg->hops, 0);
  g_assert_cmpstr (hop->time, ==, "29.11.2026 06:58:10");
  g_assert_cmpstr (hop->with, ==, "mapi");
  NdrRecipient *r = only_recipient (msg);
  g_assert_nonnull (find_evidence (r, NDR_SOURCE_ADMIN_TEXT, "5.4.6"));
  g_assert_nonnull (find_evidence (r, NDR_SOURCE_USER_TEXT, "5.1.1"));
}

static void
test_split_html_only (void)
{
  g_autoptr(NdrMessage) msg = parse_corpus ("o365-en-html-only-5.1.10");
  g_assert_cmpstr (msg->mta, ==, "o365");
  g_assert_cmpstr (msg->lang, ==, "en");
  g_assert_true (g_str_has_prefix (msg->user_text, "Your message to mia.wolf@example.org"));
  g_assert_nonnull (strstr (msg->admin_text, "Reported error:\t550 5.1.10"));
  g_assert_null (strstr (msg->admin_text, "var ndr"));        /* the script is not text */
  g_assert_true (g_str_has_prefix (msg->original_headers, "Received: from"));
  g_assert_cmpuint (msg->hops->len, ==, 2);
  const NdrHop *hop = g_ptr_array_index (msg->hops, 1);
  g_assert_cmpstr (hop->time, ==, "11/29/2026 11:20:01 AM");  /* <br> inside the cell */
  g_assert_cmpstr (hop->relay_time, ==, "1 sec");
  g_assert_nonnull (find_evidence (only_recipient (msg), NDR_SOURCE_ADMIN_TEXT, "5.1.10"));
}

static void
test_split_old_layout (void)
{
  g_autoptr(NdrMessage) en = parse_corpus ("o365-en-old-recipnotfound-5.1.1");
  g_assert_cmpstr (en->mta, ==, "o365");
  g_assert_cmpstr (en->lang, ==, "en");
  g_assert_true (g_str_has_prefix (en->user_text, "Delivery has failed to these recipients"));
  g_assert_true (g_str_has_prefix (en->admin_text, "Generating server:"));
  g_assert_cmpuint (en->hops->len, ==, 0);
  const NdrEvidence *ev = find_evidence (only_recipient (en), NDR_SOURCE_ADMIN_TEXT, "5.1.1");
  g_assert_nonnull (ev);
  g_assert_cmpint (ev->reply_code, ==, 550);
  g_assert_cmpstr (ev->text, ==, "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##");

  g_autoptr(NdrMessage) de = parse_corpus ("o365-de-old-recipnotfound-5.1.1");
  g_assert_cmpstr (de->lang, ==, "de");
  g_assert_true (g_str_has_prefix (de->user_text, "Fehler bei der Zustellung"));
  g_assert_true (g_str_has_prefix (de->admin_text, "Generierender Server:"));
  g_assert_true (g_str_has_prefix (de->original_headers, "Received: from"));
  g_assert_nonnull (find_evidence (only_recipient (de), NDR_SOURCE_ADMIN_TEXT, "5.1.1"));
}

static void
test_split_multi_recipient (void)
{
  static const char *const want[][2] = {
    { "a.meyer@example.net", "5.1.1" },
    { "b.koch@example.org", "5.2.2" },
    { "c.lang@example.com", "5.7.1" },
  };
  g_autoptr(NdrMessage) msg = parse_corpus ("o365-en-multi-recipient");
  g_assert_cmpuint (msg->recipients->len, ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++) {
    NdrRecipient *r = ndr_message_find_recipient (msg, want[i][0]);
    g_assert_nonnull (r);
    guint admin = 0;
    for (guint k = 0; k < r->evidence->len; k++) {  /* each recipient gets its own line only */
      const NdrEvidence *ev = g_ptr_array_index (r->evidence, k);
      if (ev->source == NDR_SOURCE_ADMIN_TEXT) {
        g_assert_cmpstr (ev->status, ==, want[i][1]);
        admin++;
      }
    }
    g_assert_cmpuint (admin, ==, 1);
  }
}

static void
test_split_nested_reply (void)
{
  g_autoptr(NdrMessage) msg = parse_corpus ("o365-en-expired-4.4.7-after-4.7.500");
  NdrRecipient *r = only_recipient (msg);
  const NdrEvidence *outer = find_evidence (r, NDR_SOURCE_ADMIN_TEXT, "4.4.7");
  const NdrEvidence *inner = find_evidence (r, NDR_SOURCE_ADMIN_TEXT, "4.7.500");
  g_assert_nonnull (outer);
  g_assert_nonnull (inner);
  g_assert_cmpint (inner->reply_code, ==, 451);
  g_assert_cmpstr (inner->text, ==, outer->text);     /* the same line: [Message=451 4.7.500 */
}

static void
test_split_onprem (void)
{
  g_autoptr(NdrMessage) msg = parse_corpus ("exchange-en-2016-unable-to-relay-5.7.54");
  g_assert_cmpstr (msg->mta, ==, "exchange");
  g_assert_cmpstr (msg->lang, ==, "en");
  NdrRecipient *r = only_recipient (msg);
  g_assert_cmpstr (r->address, ==, "partner@example.net");
  g_assert_nonnull (find_evidence (r, NDR_SOURCE_ADMIN_TEXT, "5.7.54"));
  g_autoptr(NdrMessage) de = parse_corpus ("exchange-de-ipv6-spf-dkim-4.7.26");
  g_assert_cmpstr (de->mta, ==, "exchange");
  g_assert_cmpstr (de->lang, ==, "de");
  g_assert_cmpstr (only_recipient (de)->action, ==, "delayed");
}

/* A German report of the older layout with no DSN part: recipients come from the text. */
static const char text_only[] =
  "From: Microsoft Outlook <postmaster@example.com>\n"
  "To: <anna@example.com>\n"
  "Subject: Unzustellbar: Test\n"
  "MIME-Version: 1.0\n"
  "Content-Type: text/plain; charset=utf-8\n"
  "Content-Transfer-Encoding: 8bit\n"
  "\n"
  "Fehler bei der Zustellung an folgende Empfänger oder Gruppen:\n"
  "\n"
  "Eva Roth <eva@example.net>\n"
  "Die E-Mail-Adresse wurde nicht gefunden.\n"
  "\n"
  "Diagnoseinformationen für Administratoren:\n"
  "\n"
  "Generierender Server: EX01.corp.example.com\n"
  "\n"
  "eva@example.net\n"
  "Remote Server returned '550 5.1.1 User unknown -> 550 5.1.10 RecipientNotFound'\n"
  "\n"
  "Ursprüngliche Nachrichtenkopfzeilen:\n"
  "\n"
  "Message-ID: <t1@example.com>\n"
  "Subject: Test 550 5.7.1\n";

static void
test_split_text_only (void)
{
  g_autoptr(NdrMessage) msg = ndr_parse_bytes (text_only, strlen (text_only), "text-only",
                                               &limits);
  g_assert_cmpstr (msg->mta, ==, "exchange");
  g_assert_cmpstr (msg->lang, ==, "de");
  NdrRecipient *r = only_recipient (msg);
  g_assert_cmpstr (r->address, ==, "eva@example.net");
  g_assert_cmpstr (r->action, ==, "failed");
  g_assert_nonnull (find_evidence (r, NDR_SOURCE_ADMIN_TEXT, "5.1.1"));
  g_assert_nonnull (find_evidence (r, NDR_SOURCE_ADMIN_TEXT, "5.1.10"));   /* after "->" */
  g_assert_null (find_evidence (r, NDR_SOURCE_ADMIN_TEXT, "5.7.1"));       /* the original's */
  g_assert_cmpstr (msg->original.message_id, ==, "t1@example.com");
}

/* The older layout in French, blanks before the colons as French writes them. */
static const char french[] =
  "From: postmaster@example.com\n"
  "Subject: Non remis : Test\n"
  "MIME-Version: 1.0\n"
  "Content-Type: text/plain; charset=utf-8\n"
  "Content-Transfer-Encoding: 8bit\n"
  "\n"
  "\xc3\x89" "chec de la remise pour ces destinataires ou groupes :\n"
  "\n"
  "luc@example.net<mailto:luc@example.net>\n"
  "L'adresse de messagerie que vous avez entr\xc3\xa9" "e est introuvable.\n"
  "\n"
  "Informations de diagnostic pour les administrateurs\xc2\xa0:\n"
  "\n"
  "Serveur de g\xc3\xa9n\xc3\xa9ration : AM0PR01MB2222.eurprd01.prod.outlook.example.com\n"
  "\n"
  "luc@example.net\n"
  "Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'\n"
  "\n"
  "En-t\xc3\xaa" "tes de message d'origine :\n"
  "\n"
  "Subject: Test\n";

static void
test_split_french (void)
{
  g_autoptr(NdrMessage) msg = ndr_parse_bytes (french, strlen (french), "french", &limits);
  g_assert_cmpstr (msg->lang, ==, "fr");
  g_assert_cmpstr (msg->mta, ==, "o365");              /* from the generating server's name */
  g_assert_true (g_str_has_prefix (msg->admin_text, "Serveur de g"));
  g_assert_cmpstr (msg->original_headers, ==, "Subject: Test");
  NdrRecipient *r = only_recipient (msg);
  g_assert_cmpstr (r->address, ==, "luc@example.net");
  g_assert_cmpstr (r->diagnostic, ==,
                   "Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'");
  g_assert_nonnull (find_evidence (r, NDR_SOURCE_ADMIN_TEXT, "5.1.1"));
}

/* The current layout as plain text whose hop rows wrap after the date, as O365 writes them. */
static const char wrapped[] =
  "From: Microsoft Outlook <postmaster@example.com>\n"
  "Subject: Undeliverable: x\n"
  "X-MS-Exchange-Message-Is-Ndr:\n"
  "\n"
  "Your message to bob@example.net couldn\xe2\x80\x99t be delivered.\n"
  "More Info for Email Admins\n"
  "Status code: 550 5.1.10\n"
  "Message Hops\n"
  "HOP\tTIME (UTC)\tFROM\tTO\tWITH\tRELAY TIME\n"
  "1\t11/29/2026\n"
  "6:40:30 AM\t\ta.example.net\t\t*\n"
  "2\t11/29/2026\n"
  "6:40:32 AM\ta.example.net\tb.example.net\tESMTP\t2 sec\n"
  "\n"
  "Original Message Headers\n"
  "\n"
  "Message-ID: <w1@example.com>\n"
  "Subject: quoted 554 5.7.1\n";

static void
test_split_wrapped_hops (void)
{
  g_autoptr(NdrMessage) msg = ndr_parse_bytes (wrapped, strlen (wrapped), "wrapped", &limits);
  g_assert_cmpstr (msg->mta, ==, "exchange");           /* no marker of the service */
  g_assert_cmpuint (msg->hops->len, ==, 2);
  const NdrHop *one = g_ptr_array_index (msg->hops, 0);
  g_assert_cmpstr (one->time, ==, "11/29/2026 6:40:30 AM");
  g_assert_null (one->from);
  g_assert_cmpstr (one->to, ==, "a.example.net");
  g_assert_null (one->with);
  g_assert_cmpstr (one->relay_time, ==, "*");
  const NdrHop *two = g_ptr_array_index (msg->hops, 1);
  g_assert_cmpstr (two->from, ==, "a.example.net");
  g_assert_cmpstr (two->relay_time, ==, "2 sec");
  NdrRecipient *r = only_recipient (msg);          /* named by the heading (typographic ') */
  g_assert_cmpstr (r->address, ==, "bob@example.net");
  g_assert_nonnull (find_evidence (r, NDR_SOURCE_ADMIN_TEXT, "5.1.10"));
  g_assert_cmpstr (msg->original_headers, ==, "Message-ID: <w1@example.com>\n"
                   "Subject: quoted 554 5.7.1");
  for (guint k = 0; k < r->evidence->len; k++) {     /* the original's code is no evidence */
    const NdrEvidence *ev = g_ptr_array_index (r->evidence, k);
    g_assert_cmpstr (ev->status, !=, "5.7.1");
  }
}

static void
test_header_limit (void)
{
  NdrLimits small = limits;
  small.max_header = 1024;
  g_autoptr(GString) m = g_string_new (wrapped);      /* short report headers, long block */
  for (guint i = 0; i < 100; i++)
    g_string_append_printf (m, "X-Filler-%u: %s\n", i, "0123456789012345678901234567890123456789");
  g_autoptr(NdrMessage) msg = ndr_parse_bytes (m->str, m->len, "long-block", &small);
  g_assert_nonnull (msg->original_headers);
  g_assert_cmpuint (strlen (msg->original_headers), <=, 1024);
  g_assert_true (g_str_has_prefix (msg->original_headers, "Message-ID: <w1@example.com>"));
  g_assert_nonnull (msg->error);
  g_assert_nonnull (strstr (msg->error, "--max-header"));
}

/* A Postfix-style report is not ours. */
static const char not_ours[] =
  "From: MAILER-DAEMON@mx.example.com\n"
  "To: anna@example.com\n"
  "Subject: Undelivered Mail Returned to Sender\n"
  "\n"
  "This is the mail system at host mx.example.com.\n"
  "\n"
  "<bob@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1 User unknown\n";

static void
test_detect_not_ours (void)
{
  g_autoptr(NdrMessage) msg = ndr_parse_bytes (not_ours, strlen (not_ours), "not-ours", &limits);
  g_assert_cmpstr (msg->mta, !=, "o365");
  g_assert_cmpstr (msg->mta, !=, "exchange");
  g_assert_null (msg->user_text);
  g_assert_null (msg->admin_text);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ndr_parser_init ();
  ndr_limits_init (&limits);
  g_test_add_func ("/html/table", test_html_table);
  g_test_add_func ("/html/break-in-cell", test_html_break_in_cell);
  g_test_add_func ("/html/cells", test_html_cells);
  g_test_add_func ("/html/skipped", test_html_skipped);
  g_test_add_func ("/html/whitespace", test_html_whitespace);
  g_test_add_func ("/html/pre", test_html_pre);
  g_test_add_func ("/html/depth", test_html_depth);
  g_test_add_func ("/html/very-deep", test_html_very_deep);
  g_test_add_func ("/html/max-text", test_html_max_text);
  g_test_add_func ("/o365/loop-en", test_split_loop_en);
  g_test_add_func ("/o365/loop-de", test_split_loop_de);
  g_test_add_func ("/o365/html-only", test_split_html_only);
  g_test_add_func ("/o365/old-layout", test_split_old_layout);
  g_test_add_func ("/o365/multi-recipient", test_split_multi_recipient);
  g_test_add_func ("/o365/nested-reply", test_split_nested_reply);
  g_test_add_func ("/o365/onprem", test_split_onprem);
  g_test_add_func ("/o365/text-only", test_split_text_only);
  g_test_add_func ("/o365/not-ours", test_detect_not_ours);
  g_test_add_func ("/o365/wrapped-hops", test_split_wrapped_hops);
  g_test_add_func ("/o365/french", test_split_french);
  g_test_add_func ("/o365/header-limit", test_header_limit);
  int rc = g_test_run ();
  ndr_parser_shutdown ();
  return rc;
}
