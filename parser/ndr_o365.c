/*
 * NAME
 *   ndr_o365.c - split Office 365 / Exchange NDRs into their sections (format "o365")
 * DESCRIPTION
 *   ndr_format_o365 detects reports written by Exchange Online and on-premises Exchange, and
 *   splits their text into the user section, the admin section, the "Message hops" table and
 *   the "Original message headers" block, in the current layout ("Your message to X couldn't
 *   be delivered", "More info for email admins") and the older one ("Delivery has failed to
 *   these recipients or groups", "Diagnostic information for administrators"). Headings,
 *   labels and markers are rows of the tables below, compared without ASCII case: a language
 *   is a set of rows. The text/plain alternative is read when it carries the sections, else
 *   the HTML one turned into text.
 *
 *   Recipients come from the heading "Your message to X ...", from lines that hold only an
 *   address, and from labels such as "Recipient Address:"; a code found on a later line
 *   belongs to the recipient named last, else to msg->evidence. Codes in the admin section are
 *   admin-text evidence, codes in the user section user-text evidence; a downstream reply that
 *   Exchange quotes after "->" or "Message=" is evidence of its own. A hop table that passes
 *   the same from/to pair twice adds a hops evidence item.
 *
 *   msg->mta is "o365" when a host or product marker of Microsoft's service is seen, else
 *   "exchange" (on-premises). The original's fields are read from msg->original_headers by
 *   ndr_parse_finish().
 * TRUST
 *   None: the text is the decoded body of a stranger's message. Headings are looked for only
 *   on lines of at most HEADING_MAX bytes, every kept string is cut at the limits in force,
 *   the loop check looks at the first HOPS_LOOP_SCAN rows, and the headers block is cut at
 *   limits->max_header.
 */
#include "parser_priv.h"

#include <string.h>

#define HEADING_MAX    256u  /* longest line (bytes) that may be a heading or a label */
#define ADDR_LINE_MAX  320u  /* longest line that may hold only an address */
#define ADDR_MAX       254u  /* longest address we accept (RFC 5321 path limit) */
#define NESTED_MAX     4u    /* downstream replies quoted on one line that we follow */
#define HOPS_LOOP_SCAN 100u  /* hop rows compared with each other for a loop */

typedef enum {
  SEC_USER = 0,   /* what the sender is told; the heading line is part of it */
  SEC_ADMIN,      /* what the admins are told; the remote server's reply */
  SEC_HOPS,       /* the "Message hops" table */
  SEC_HEADERS,    /* the original message's headers, to the end of the text */
  SEC_COUNT
} Section;

/* Headings, one per line; '*' stands for one or more bytes (the first '*' is captured). */
static const struct {
  Section     section;
  const char *lang;
  const char *text;
  const char *action;     /* the Action this heading implies for its recipients, or NULL */
} o365_headings[] = {
  { SEC_USER,    "en", "Your message to * couldn't be delivered", "failed" },
  { SEC_USER,    "en", "Your message to * couldn't be delivered yet", "delayed" },
  { SEC_USER,    "en", "Delivery has failed to these recipients or groups", "failed" },
  { SEC_USER,    "en", "Delivery has failed to these recipients or distribution lists", "failed" },
  { SEC_USER,    "en", "Delivery is delayed to these recipients or groups", "delayed" },
  { SEC_USER,    "en", "* rejected your message to the following email addresses", "failed" },
  { SEC_USER,    "en", "* rejected your message to the following e-mail addresses", "failed" },
  { SEC_USER,    "en", "did not reach the following recipient(s)", "failed" },  /* 2000/2003 */
  { SEC_ADMIN,   "en", "More info for email admins", NULL },
  { SEC_ADMIN,   "en", "For email admins", NULL },
  { SEC_ADMIN,   "en", "For email administrators", NULL },
  { SEC_ADMIN,   "en", "Diagnostic information for administrators", NULL },
  { SEC_HOPS,    "en", "Message hops", NULL },
  { SEC_HEADERS, "en", "Original message headers", NULL },
  { SEC_USER,    "de", "Ihre Nachricht an * konnte nicht übermittelt werden", "failed" },
  { SEC_USER,    "de", "Ihre Nachricht an * konnte nicht zugestellt werden", "failed" },
  { SEC_USER,    "de", "Fehler bei der Zustellung an folgende Empfänger oder Gruppen", "failed" },
  { SEC_USER,    "de", "Die Zustellung an folgende Empfänger oder Gruppen ist fehlgeschlagen",
    "failed" },
  { SEC_USER,    "de", "Die Zustellung an folgende Empfänger oder Gruppen verzögert sich",
    "delayed" },
  { SEC_ADMIN,   "de", "Weitere Informationen für E-Mail-Administratoren", NULL },
  { SEC_ADMIN,   "de", "Diagnoseinformationen für Administratoren", NULL },
  { SEC_HOPS,    "de", "Nachrichtenhops", NULL },
  { SEC_HOPS,    "de", "Nachrichten-Hops", NULL },
  { SEC_HEADERS, "de", "Ursprüngliche Nachrichtenkopfzeilen", NULL },
  { SEC_HEADERS, "de", "Ursprüngliche Nachrichtenheader", NULL },
  { SEC_USER,    "fr", "Échec de la remise pour ces destinataires ou groupes", "failed" },
  { SEC_ADMIN,   "fr", "Informations de diagnostic pour les administrateurs", NULL },
  { SEC_HEADERS, "fr", "En-têtes de message d'origine", NULL },
  { SEC_USER,    "it", "Il recapito non è riuscito per i seguenti destinatari o gruppi", "failed" },
  { SEC_ADMIN,   "it", "Informazioni di diagnostica per gli amministratori", NULL },
  { SEC_HEADERS, "it", "Intestazioni originali del messaggio", NULL },
};

typedef enum {
  LABEL_RECIPIENT,  /* its value names a recipient */
  LABEL_SERVER,     /* its value is the host that wrote the report */
} Label;

static const struct {
  Label       label;
  const char *lang;
  const char *text;
} o365_labels[] = {
  { LABEL_RECIPIENT, "en", "Recipient Address" },
  { LABEL_RECIPIENT, "de", "Empfängeradresse" },
  { LABEL_SERVER,    "en", "Generating server" },
  { LABEL_SERVER,    "en", "DSN generated by" },
  { LABEL_SERVER,    "de", "Generierender Server" },
  { LABEL_SERVER,    "de", "DSN generiert von" },
  { LABEL_SERVER,    "fr", "Serveur de génération" },
  { LABEL_SERVER,    "it", "Server di generazione" },
};

/* Labels at the start of a line, followed by ':' and a value; French puts a blank (or NBSP)
 * before the ':'. */

/* Markers of Microsoft's service in host names (report From, Message-ID, Reporting-MTA,
 * generating server) and in the report's text (product names). */
static const char *const o365_host_markers[] = {
  "outlook.com", "office365.com", "exchangelabs.com", "onmicrosoft.com", "outlook.cn",
  "prod.outlook.", "protection.outlook.", "prod.exchangelabs.",  /* NAMPR01MB1.namprd01.prod... */
};
static const char *const o365_text_markers[] = {
  "Office 365", "Microsoft 365", "Exchange Online",
};

/* The mailbox on-premises Exchange sends its reports from ("MicrosoftExchange329e71ec...");
 * Exchange Online uses postmaster@ at one of o365_host_markers[]. */
static const char *const o365_senders[] = { "MicrosoftExchange" };

/* Where Exchange quotes the downstream server's reply inside its own. */
static const char *const o365_nested[] = { "->", "Message=" };

typedef struct {
  const char *text;                 /* the text the offsets are in (borrowed) */
  gsize       len;                  /* its length */
  gboolean    found[SEC_COUNT];
  gsize       line_start[SEC_COUNT];/* offset of the heading line */
  gsize       body_start[SEC_COUNT];/* offset just after the heading line */
  guint       n_found;
  const char *lang;                 /* of the first heading matched (static) */
  const char *action;               /* of the user heading, or NULL (static) */
  char       *named;                /* what the user heading's '*' covered, or NULL */
  char       *owned;                /* the HTML part's text when made for this layout (text
                                       points into it), or NULL */
} Layout;

/* layout_clear - free what a Layout owns */
static void
layout_clear (Layout *lay)
{
  g_clear_pointer (&lay->named, g_free);
  g_clear_pointer (&lay->owned, g_free);
}

/* normalize - one line, trimmed, blanks collapsed, typographic apostrophes and NBSP made
 * ASCII, trailing ':' and '.' dropped; FALSE if it is empty or longer than max */
static gboolean
normalize (const char *line, gsize len, gsize max, GString *out)
{
  g_string_truncate (out, 0);
  if (len > max)
    return FALSE;
  gboolean blank = FALSE;
  for (gsize i = 0; i < len; i++) {
    guchar c = (guchar) line[i];
    if (c == 0xE2 && i + 2 < len && (guchar) line[i + 1] == 0x80
        && ((guchar) line[i + 2] == 0x98 || (guchar) line[i + 2] == 0x99)) {
      c = '\'';
      i += 2;
    } else if (c == 0xC2 && i + 1 < len && (guchar) line[i + 1] == 0xA0) {
      c = ' ';
      i += 1;
    }
    if (g_ascii_isspace (c)) {
      blank = TRUE;
      continue;
    }
    if (blank && out->len > 0)
      g_string_append_c (out, ' ');
    blank = FALSE;
    g_string_append_c (out, (char) c);
  }
  while (out->len > 0 && (out->str[out->len - 1] == ':' || out->str[out->len - 1] == '.'
                          || out->str[out->len - 1] == ' '))
    g_string_truncate (out, out->len - 1);
  return out->len > 0;
}

/* The shape of each heading: bytes before its '*' (all of them if it has none) and after. */
typedef struct {
  gsize    pre;
  gsize    post;
  gboolean star;
} Shape;

static Shape shapes[G_N_ELEMENTS (o365_headings)];

/* heading_shapes - measure the headings once, so that most lines are refused by length */
static const Shape *
heading_shapes (void)
{
  static gsize done = 0;
  if (g_once_init_enter (&done)) {
    for (guint i = 0; i < G_N_ELEMENTS (o365_headings); i++) {
      const char *t = o365_headings[i].text, *star = strchr (t, '*');
      shapes[i].star = star != NULL;
      shapes[i].pre = star != NULL ? (gsize) (star - t) : strlen (t);
      shapes[i].post = star != NULL ? strlen (star + 1) : 0;
    }
    g_once_init_leave (&done, 1);
  }
  return shapes;
}

/* glob - does pattern (of that shape) match all of s[0..n), ASCII case ignored? '*' covers
 * one or more bytes, returned in cap */
static gboolean
glob (const char *pattern, const Shape *sh, const char *s, gsize n, const char **cap,
      gsize *cap_len)
{
  if (!sh->star)
    return sh->pre == n && g_ascii_strncasecmp (pattern, s, n) == 0;
  if (n < sh->pre + sh->post + 1 || g_ascii_strncasecmp (pattern, s, sh->pre) != 0
      || g_ascii_strncasecmp (pattern + sh->pre + 1, s + n - sh->post, sh->post) != 0)
    return FALSE;
  *cap = s + sh->pre;
  *cap_len = n - sh->pre - sh->post;
  return TRUE;
}

/* match_heading - the index in o365_headings[] of the heading a normalized line is, or -1 */
static int
match_heading (const GString *norm, const char **cap, gsize *cap_len)
{
  const Shape *sh = heading_shapes ();
  *cap = NULL;
  *cap_len = 0;
  for (guint i = 0; i < G_N_ELEMENTS (o365_headings); i++)
    if (glob (o365_headings[i].text, &sh[i], norm->str, norm->len, cap, cap_len))
      return (int) i;
  return -1;
}

/* find_layout - find the first heading of each section; stops at the headers block */
static void
find_layout (const char *text, Layout *lay)
{
  memset (lay, 0, sizeof *lay);
  lay->text = text;
  if (text == NULL)
    return;
  lay->len = strlen (text);
  g_autoptr(GString) norm = g_string_sized_new (HEADING_MAX);
  const char *cursor = text, *line;
  gsize len;
  while (ndr_text_next_line (&cursor, &line, &len)) {
    const char *cap;
    gsize cap_len;
    if (!normalize (line, len, HEADING_MAX, norm))
      continue;
    int h = match_heading (norm, &cap, &cap_len);
    if (h < 0 || lay->found[o365_headings[h].section])
      continue;
    Section s = o365_headings[h].section;
    lay->found[s] = TRUE;
    lay->line_start[s] = (gsize) (line - text);
    lay->body_start[s] = (gsize) (cursor - text);
    lay->n_found++;
    if (lay->lang == NULL)
      lay->lang = o365_headings[h].lang;
    if (s == SEC_USER) {
      lay->action = o365_headings[h].action;
      if (cap != NULL)
        lay->named = g_strndup (cap, cap_len);
    }
    if (s == SEC_HEADERS)
      break;                          /* what follows is the original's, not the report's */
  }
}

/* has_report_heading - did the layout find a heading only Exchange writes (user or admin)? */
static gboolean
has_report_heading (const Layout *lay)
{
  return lay->found[SEC_USER] || lay->found[SEC_ADMIN];
}

/* words_in - is every run of three or more ASCII letters of text in low (lowered HTML)? */
static gboolean
words_in (const char *low, gsize len, const char *text)
{
  char word[HEADING_MAX];
  const char *p = text;
  while (*p != '\0') {
    gsize n = 0;
    while (g_ascii_isalpha (p[n]) && n < sizeof word) {
      word[n] = g_ascii_tolower (p[n]);
      n++;
    }
    if (n >= 3 && memmem (low, len, word, n) == NULL)
      return FALSE;
    p += n > 0 ? n : 1;
  }
  return TRUE;
}

/* html_may_add - could the raw HTML hold a heading of a section the text layout lacks?
 *
 * Turning the HTML into text costs more than the rest of a report's parse, and the text part
 * nearly always carries every section the HTML does. A heading can only be in the HTML if
 * every ASCII word of it is in the raw bytes (an entity for a letter such as &uuml; splits a
 * word into two runs that are still there), so the HTML is converted only then. A tag or an
 * entity inside an ASCII word would hide a heading; Exchange writes neither. */
static gboolean
html_may_add (const char *html, const Layout *lay)
{
  g_autofree char *low = g_ascii_strdown (html, -1);
  gsize len = strlen (low);
  for (guint i = 0; i < G_N_ELEMENTS (o365_headings); i++)
    if (!lay->found[o365_headings[i].section] && words_in (low, len, o365_headings[i].text))
      return TRUE;
  return FALSE;
}

/* pick_layout - lay out the text part and the HTML part; keep the one with more sections.
 * The HTML is turned into text only here, when the text part lacks a section the HTML may
 * have. */
static void
pick_layout (const NdrParts *parts, Layout *lay, const NdrLimits *limits)
{
  Layout html;
  find_layout (parts->text, lay);
  if ((parts->html == NULL && parts->html_text == NULL) || lay->n_found == SEC_COUNT)
    return;
  if (parts->html_text == NULL && !html_may_add (parts->html, lay))
    return;                           /* the HTML cannot have more sections than the text */
  char *owned;
  const char *html_text = ndr_parts_html_text (parts, &owned, limits);
  find_layout (html_text, &html);
  html.owned = owned;
  if (html.n_found > lay->n_found || (lay->text == NULL && html_text != NULL)) {
    layout_clear (lay);
    *lay = html;
  } else {
    layout_clear (&html);
  }
}

/* section_end - where section s ends: at the next heading found after it, or the text's end */
static gsize
section_end (const Layout *lay, gsize from)
{
  gsize end = lay->len;
  for (guint i = 0; i < SEC_COUNT; i++)
    if (lay->found[i] && lay->line_start[i] > from && lay->line_start[i] < end)
      end = lay->line_start[i];
  return end;
}

/* section_text - a copy of one section, trimmed and cut at max (*cut says so, if asked);
 * NULL if absent or empty */
static char *
section_text (const Layout *lay, Section s, gsize max, gboolean *cut)
{
  gsize start, from;
  if (s == SEC_USER && !lay->found[SEC_USER]) {
    start = from = 0;                       /* no heading: what comes before the first one */
  } else {
    if (!lay->found[s])
      return NULL;
    start = s == SEC_USER ? lay->line_start[s] : lay->body_start[s];
    from = lay->line_start[s];
  }
  gsize end = section_end (lay, from);
  if (s == SEC_USER && !lay->found[SEC_USER])
    for (guint i = 0; i < SEC_COUNT; i++)      /* up to the first heading, even at 0 */
      if (lay->found[i] && lay->line_start[i] < end)
        end = lay->line_start[i];
  if (end <= start)
    return NULL;
  if (cut != NULL)
    *cut = end - start > max;
  return ndr_text_trim_dup (lay->text + start, end - start, max);
}

/* valid_address - a copy of s[0..n) if it looks like local@domain.tld, else NULL */
static char *
valid_address (const char *s, gsize n)
{
  while (n > 0 && strchr (".,;:'\")]>", s[n - 1]) != NULL)
    n--;
  while (n > 0 && strchr ("'\"(<[", s[0]) != NULL) {
    s++;
    n--;
  }
  if (n == 0 || n > ADDR_MAX)
    return NULL;
  const char *at = memchr (s, '@', n);
  if (at == NULL || at == s || memchr (at + 1, '@', n - (gsize) (at - s) - 1) != NULL)
    return NULL;
  gboolean dot = FALSE;
  for (const char *p = at + 1; p < s + n; p++) {
    if (*p == '.')
      dot = TRUE;
    else if (!g_ascii_isalnum (*p) && *p != '-' && *p != '[' && *p != ']' && *p != ':')
      return NULL;
  }
  for (const char *p = s; p < at; p++)
    if ((guchar) *p <= ' ' || strchr ("<>()[]\\,;:\"/", *p) != NULL)
      return NULL;
  if (!dot || at[1] == '.' || s[n - 1] == '.')
    return NULL;
  return g_strndup (s, n);
}

/* address_in - the first thing in s[0..n) that looks like an address (mailto: first) */
static char *
address_in (const char *s, gsize n)
{
  const char *mailto = g_strstr_len (s, (gssize) n, "mailto:");
  if (mailto != NULL) {
    const char *a = mailto + strlen ("mailto:");
    gsize m = strcspn (a, ">\"' \t");
    if (a + m > s + n)
      m = (gsize) (s + n - a);
    char *addr = valid_address (a, m);
    if (addr != NULL)
      return addr;
  }
  const char *p = s, *end = s + n;
  while (p < end) {
    while (p < end && strchr (" \t<>()", *p) != NULL)
      p++;
    const char *t = p;
    while (p < end && strchr (" \t<>()", *p) == NULL)
      p++;
    if (memchr (t, '@', (gsize) (p - t)) != NULL) {
      char *addr = valid_address (t, (gsize) (p - t));
      if (addr != NULL)
        return addr;
    }
  }
  return NULL;
}

/* line_address - the address a line holds and nothing else ("a@b", "Name <a@b>",
 * "Name<mailto:a@b>"), or NULL */
static char *
line_address (const char *line, gsize len)
{
  while (len > 0 && g_ascii_isspace (line[len - 1]))
    len--;
  while (len > 0 && g_ascii_isspace (*line)) {
    line++;
    len--;
  }
  if (len == 0 || len > ADDR_LINE_MAX || memchr (line, '@', len) == NULL)
    return NULL;
  if (line[len - 1] == '>') {
    const char *lt = g_strrstr_len (line, (gssize) len, "<");
    if (lt == NULL || (gsize) (lt - line) > 64 || memchr (line, ':', (gsize) (lt - line)) != NULL)
      return NULL;                            /* "To: <a@b>" is a header, not a list entry */
    const char *in = lt + 1;
    gsize n = (gsize) (line + len - 1 - in);
    if (n > 7 && g_ascii_strncasecmp (in, "mailto:", 7) == 0) {
      in += 7;
      n -= 7;
    }
    return valid_address (in, n);
  }
  gsize n = strcspn (line, " \t");
  if (n < len && (len - n < 4 || memcmp (line + n, " on ", 4) != 0))
    return NULL;                              /* Exchange 2003: "a@b on Thu, 29 Apr 2010 ..." */
  return valid_address (line, MIN (n, len));
}

/* label_value - if the line starts with a label of kind k ("Label: value"), its value */
static gboolean
label_value (const char *line, gsize len, Label k, const char **value, gsize *vlen)
{
  while (len > 0 && g_ascii_isspace (*line)) {
    line++;
    len--;
  }
  if (len > HEADING_MAX)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (o365_labels); i++) {
    gsize n = strlen (o365_labels[i].text);
    if (o365_labels[i].label != k || len <= n
        || g_ascii_strncasecmp (line, o365_labels[i].text, n) != 0)
      continue;
    while (n < len && (line[n] == ' ' || line[n] == '\t'))
      n++;
    if (n + 1 < len && (guchar) line[n] == 0xC2 && (guchar) line[n + 1] == 0xA0)
      n += 2;
    if (n >= len || line[n] != ':')
      continue;
    *value = line + n + 1;
    *vlen = len - n - 1;
    return TRUE;
  }
  return FALSE;
}

/* next_nested - where a quoted downstream reply starts after p, or NULL */
static const char *
next_nested (const char *p)
{
  const char *best = NULL;
  gsize skip = 0;
  for (guint i = 0; i < G_N_ELEMENTS (o365_nested); i++) {
    const char *m = strstr (p, o365_nested[i]);
    if (m != NULL && (best == NULL || m < best)) {
      best = m;
      skip = strlen (o365_nested[i]);
    }
  }
  return best != NULL ? best + skip : NULL;
}

/* add_codes - evidence for the codes of one line: its first, and each quoted reply after;
 * TRUE if the line had a code */
static gboolean
add_codes (GPtrArray *into, NdrSource source, const char *line, gsize len,
           const NdrLimits *limits)
{
  g_autofree char *t = ndr_text_trim_dup (line, len, limits->max_line);
  char status[16] = "";
  int code = 0;
  if (t == NULL || !ndr_evidence_parse_line (t, status, &code))
    return FALSE;
  ndr_evidence_add (into, source, status[0] != '\0' ? status : NULL, code, t, limits);
  const char *p = t;
  for (guint n = 0; n < NESTED_MAX && (p = next_nested (p)) != NULL; n++) {
    char inner[16] = "";
    int inner_code = 0;
    if (!ndr_evidence_parse_line (p, inner, &inner_code)
        || (inner_code == code && strcmp (inner, status) == 0))
      continue;
    ndr_evidence_add (into, source, inner[0] != '\0' ? inner : NULL, inner_code, t, limits);
    memcpy (status, inner, sizeof status);
    code = inner_code;
  }
  return TRUE;
}

/* recipient - add (or find) the recipient of an address, giving it the heading's action */
static NdrRecipient *
recipient (NdrMessage *msg, const char *addr, const char *action, const NdrLimits *limits)
{
  NdrRecipient *r = ndr_message_add_recipient (msg, addr, limits);
  if (r != NULL && r->action == NULL && action != NULL)
    r->action = g_strdup (action);
  return r;
}

typedef enum {
  DIAG_NONE,        /* the section gives no recipient a diagnostic */
  DIAG_CODE_LINE,   /* the first line with a code after an address */
  DIAG_NEXT_LINE,   /* the first non-empty line after an address (Exchange 2003 reasons) */
} DiagFrom;

typedef struct {
  NdrSource   source;            /* of the evidence found */
  const char *action;            /* of the user heading, for the recipients named */
  gboolean    stop_at_original;  /* no heading was found: the text may quote the original */
  DiagFrom    diag;              /* which line becomes a diagnostic where there is none */
} Scan;

/* scan - walk a section's lines: an address names the recipient later codes belong to */
static void
scan (NdrMessage *msg, const char *text, NdrRecipient *cur, const Scan *how,
      const NdrLimits *limits)
{
  const char *cursor = text, *line;
  gsize len;
  gboolean fresh = FALSE;               /* cur was just named and has no diagnostic line yet */
  while (ndr_text_next_line (&cursor, &line, &len)) {
    if (how->stop_at_original && ndr_evidence_starts_original (line, len))
      break;
    const char *value;
    gsize vlen;
    g_autofree char *addr = line_address (line, len);
    if (addr == NULL && label_value (line, len, LABEL_RECIPIENT, &value, &vlen))
      addr = address_in (value, vlen);
    if (addr != NULL) {
      cur = recipient (msg, addr, how->action, limits);
      fresh = cur != NULL;
      continue;
    }
    gboolean code = add_codes (cur != NULL ? cur->evidence : msg->evidence, how->source, line,
                               len, limits);
    g_autofree char *t = fresh ? ndr_text_trim_dup (line, len, limits->max_line) : NULL;
    if (t == NULL || !(how->diag == DIAG_NEXT_LINE || (how->diag == DIAG_CODE_LINE && code)))
      continue;
    if (cur->diagnostic == NULL)
      cur->diagnostic = g_steal_pointer (&t);
    fresh = FALSE;
  }
}

/* split_cells - the cells of one hop row: TAB-separated, else separated by 2+ spaces */
static GPtrArray *
split_cells (const char *row)
{
  GPtrArray *cells = g_ptr_array_new_with_free_func (g_free);
  gboolean tabs = strchr (row, '\t') != NULL;
  const char *p = row;
  while (*p != '\0') {
    const char *e = p;
    while (*e != '\0' && !(tabs ? *e == '\t' : (e[0] == ' ' && e[1] == ' ')))
      e++;
    g_ptr_array_add (cells, g_strndup (p, (gsize) (e - p)));
    if (*e == '\0')
      break;
    p = e + 1;
    while (!tabs && *p == ' ')
      p++;
  }
  return cells;
}

/* add_hop - turn one joined row into an NdrHop: hop, time, from, to, with, relay time */
static void
add_hop (NdrMessage *msg, GString *row, const NdrLimits *limits)
{
  if (row->len == 0)
    return;
  g_autoptr(GPtrArray) cells = split_cells (row->str);
  g_string_truncate (row, 0);
  char *f[6] = { NULL };
  for (guint i = 0; i < cells->len && i < G_N_ELEMENTS (f); i++) {
    const char *c = g_ptr_array_index (cells, i);
    f[i] = ndr_text_trim_dup (c, strlen (c), limits->max_line);
  }
  NdrHop *hop = g_new0 (NdrHop, 1);
  hop->hop = f[0];
  hop->time = f[1];
  hop->from = f[2];
  hop->to = f[3];
  hop->with = f[4];
  hop->relay_time = f[5];
  g_ptr_array_add (msg->hops, hop);
}

/* starts_hop - does a line start a hop row (a small number, then a TAB or a space)? */
static gboolean
starts_hop (const char *line, gsize len)
{
  gsize i = 0;
  while (i < len && i < 4 && g_ascii_isdigit (line[i]))
    i++;
  return i > 0 && i < 4 && i < len && (line[i] == '\t' || line[i] == ' ');
}

/* parse_hops - the rows of the hop table; a row wrapped over lines is joined with a space */
static void
parse_hops (NdrMessage *msg, const char *text, const NdrLimits *limits)
{
  g_autoptr(GString) row = g_string_new (NULL);
  const char *cursor = text, *line;
  gsize len;
  while (ndr_text_next_line (&cursor, &line, &len)) {
    gsize n = MIN (len, limits->max_line);
    gboolean blank = TRUE;
    for (gsize i = 0; i < n && blank; i++)
      blank = g_ascii_isspace (line[i]);
    if (starts_hop (line, n)) {
      add_hop (msg, row, limits);
      g_string_append_len (row, line, (gssize) n);
    } else if (blank) {
      add_hop (msg, row, limits);
    } else if (row->len > 0 && row->len + n < limits->max_line) {
      g_string_append_c (row, ' ');
      g_string_append_len (row, line, (gssize) n);
    }
  }
  add_hop (msg, row, limits);
}

/* same_host - do two hop fields name the same host? */
static gboolean
same_host (const char *a, const char *b)
{
  return a != NULL && b != NULL && g_ascii_strcasecmp (a, b) == 0;
}

/* hops_loop - add hops evidence when one from/to pair is passed more than once */
static void
hops_loop (NdrMessage *msg, const NdrLimits *limits)
{
  guint n = MIN (msg->hops->len, HOPS_LOOP_SCAN);
  for (guint i = 0; i < n; i++) {
    const NdrHop *a = g_ptr_array_index (msg->hops, i);
    guint times = 1;
    for (guint j = i + 1; j < n; j++) {
      const NdrHop *b = g_ptr_array_index (msg->hops, j);
      if (same_host (a->from, b->from) && same_host (a->to, b->to))
        times++;
    }
    if (times < 2)
      continue;
    g_autofree char *text = g_strdup_printf ("hop table passes %.200s -> %.200s %u times",
                                             a->from, a->to, times);
    ndr_evidence_add (msg->evidence, NDR_SOURCE_HOPS, NULL, 0, text, limits);
    return;                                   /* one item says it; more would be noise */
  }
}

/* has_marker - is one of the markers in s (ASCII case ignored)? */
static gboolean
has_marker (const char *s, const char *const *markers, guint n)
{
  if (s == NULL)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (strcasestr (s, markers[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* server_is_o365 - does a "Generating server:" label in the admin text name Microsoft's hosts? */
static gboolean
server_is_o365 (const char *admin)
{
  const char *cursor = admin, *line, *value;
  gsize len, vlen;
  while (admin != NULL && ndr_text_next_line (&cursor, &line, &len))
    if (label_value (line, len, LABEL_SERVER, &value, &vlen)) {
      g_autofree char *v = g_strndup (value, vlen);
      if (has_marker (v, o365_host_markers, G_N_ELEMENTS (o365_host_markers)))
        return TRUE;
    }
  return FALSE;
}

/* is_o365 - Exchange Online rather than on-premises Exchange? */
static gboolean
is_o365 (const NdrMessage *msg, const NdrParts *parts)
{
  const char *mid = parts->mime != NULL
                    ? g_mime_object_get_header (GMIME_OBJECT (parts->mime), "Message-ID") : NULL;
  const char *hosts[] = { msg->reporting_mta, msg->from, mid };
  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    if (has_marker (hosts[i], o365_host_markers, G_N_ELEMENTS (o365_host_markers)))
      return TRUE;
  return server_is_o365 (msg->admin_text)
         || has_marker (msg->user_text, o365_text_markers, G_N_ELEMENTS (o365_text_markers))
         || has_marker (msg->admin_text, o365_text_markers, G_N_ELEMENTS (o365_text_markers));
}

/* o365_detect - an Exchange report: its NDR header, its sender, or its headings */
static gboolean
o365_detect (const NdrMessage *msg, const NdrParts *parts)
{
  const char *from = msg->from;
  if (parts->mime != NULL) {
    GMimeHeaderList *headers = g_mime_object_get_header_list (GMIME_OBJECT (parts->mime));
    if (g_mime_header_list_contains (headers, "X-MS-Exchange-Message-Is-Ndr"))
      return TRUE;
    if (from == NULL)
      from = g_mime_object_get_header (GMIME_OBJECT (parts->mime), "From");
  }
  if (has_marker (from, o365_senders, G_N_ELEMENTS (o365_senders))
      || (from != NULL && strcasestr (from, "postmaster@") != NULL
          && has_marker (from, o365_host_markers, G_N_ELEMENTS (o365_host_markers))))
    return TRUE;
  Layout lay;                                 /* the HTML only when there is no text part */
  find_layout (parts->text != NULL ? parts->text : parts->html_text, &lay);
  gboolean yes = has_report_heading (&lay);
  layout_clear (&lay);
  return yes;
}

/* take_sections - fill the four sections of msg from the layout */
static void
take_sections (NdrMessage *msg, const Layout *lay, const NdrLimits *limits)
{
  g_free (msg->user_text);
  g_free (msg->admin_text);
  g_free (msg->original_headers);
  gboolean cut = FALSE;
  msg->user_text = section_text (lay, SEC_USER, limits->max_text, NULL);
  msg->admin_text = section_text (lay, SEC_ADMIN, limits->max_text, NULL);
  msg->original_headers = section_text (lay, SEC_HEADERS, limits->max_header, &cut);
  if (cut) {
    g_autofree char *e = g_strdup_printf ("the original message headers block is over the "
                                          "--max-header limit of %" G_GSIZE_FORMAT " bytes; "
                                          "only the first part was kept", limits->max_header);
    ndr_message_add_error (msg, e);
  }
  g_autofree char *hops = section_text (lay, SEC_HOPS, limits->max_text, NULL);
  if (hops != NULL)
    parse_hops (msg, hops, limits);
  if (lay->lang != NULL) {
    g_free (msg->lang);
    msg->lang = g_strdup (lay->lang);
  }
}

/* o365_extract - sections, recipients, evidence, mta and lang of an Exchange report */
static void
o365_extract (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  Layout lay;
  pick_layout (parts, &lay, limits);
  if (lay.text != NULL)
    take_sections (msg, &lay, limits);
  NdrRecipient *named = NULL;
  if (lay.named != NULL) {
    g_autofree char *addr = address_in (lay.named, strlen (lay.named));
    if (addr != NULL)
      named = recipient (msg, addr, lay.action, limits);
  }
  Scan user = { NDR_SOURCE_USER_TEXT, lay.action, lay.n_found == 0,
                lay.found[SEC_ADMIN] ? DIAG_NONE : DIAG_NEXT_LINE };
  Scan admin = { NDR_SOURCE_ADMIN_TEXT, lay.action, FALSE, DIAG_CODE_LINE };
  if (msg->user_text != NULL)
    scan (msg, msg->user_text, named, &user, limits);
  if (msg->admin_text != NULL)
    scan (msg, msg->admin_text, NULL, &admin, limits);
  hops_loop (msg, limits);
  g_free (msg->mta);
  msg->mta = g_strdup (is_o365 (msg, parts) ? "o365" : "exchange");
  layout_clear (&lay);
}

const NdrFormat ndr_format_o365 = {
  .name = "o365",
  .detect = o365_detect,
  .extract = o365_extract,
};
