/*
 * NAME
 *   ndr_evidence.c - find enhanced status codes and SMTP reply codes in text
 * DESCRIPTION
 *   ndr_evidence_parse_line() finds the first enhanced status code (RFC 3463: class 2, 4 or 5,
 *   then 1-3 digits, then 1-3 digits) and the first SMTP reply code (2xx, 4xx, 5xx) on a line.
 *   A status code must stand alone: not inside an IP address, a dotted date or a version
 *   number ("version 2.4.6"). A reply code counts only where MTAs write one: at the start of
 *   the line, right before a status code, after "#", after an address and a colon
 *   ("<rcpt@example.net>: 550 ..."), or after a lead-in such as "said:" or "returned '"
 *   (lead_ins[]); never inside a number, an IP address or before "bytes". A status code
 *   inside a version ("mta-5.5.0-3") is not one.
 *
 *   ndr_evidence_scan() runs it over every line of a text and appends an NdrEvidence for each
 *   line with a code. It can stop at a line that begins a quoted original (original_markers[])
 *   and skips lines quoted with ">", so that codes in the original are not taken as the
 *   report's.
 * TRUST
 *   None: text is a stranger's. Lines are cut at limits->max_line before they are looked at,
 *   items stop at limits->max_evidence.
 */
#include "parser_priv.h"

#include <string.h>

/* Words after which a reply code may stand, caseless; the code may follow after blanks and
 * one quote or bracket. */
static const char *const lead_ins[] = {
  "said:", "returned '", "returned \"", "returned:", "replied:", "reply:", "response:",
  "responded:", "error:", "reason:", "smtp;", "status:", "code:", "answered:", "antwortete:",
  "meldete:", "diagnostic-code:", "remote server returned", "server returned", "message:",
  "error code", "smtp error", "(reason:", "rejected:",
};

/* Words right before a dotted number that make it a version, not a status code. */
static const char *const version_words[] = {
  "version", "ver", "ver.", "v", "v.", "release", "rev", "rev.", "revision", "build",
  "postfix", "exim", "sendmail", "qmail", "openssl", "tls", "smtp/", "esmtp",
};

/* Words right after a number that make it a size or a count, not a reply code. */
static const char *const size_words[] = {
  "bytes", "byte", "kg", "km", "kb", "kib", "mb", "mib", "gb", "octets", "characters", "chars",
  "recipients", "messages", "lines", "seconds", "minutes", "hours", "days",
};

/* Line beginnings (after blanks, dashes, '=' and '*') that start a quoted original message. */
static const char *const original_markers[] = {
  "This is a copy of the message",           /* exim */
  "This is a copy of the headers",           /* exim, headers only */
  "Included is a copy of the message",
  "Below this line is a copy of the message", /* qmail */
  "Original message headers",                /* Office 365 */
  "Original message",                        /* ----- Original message -----, ... follows */
  "Unsent message follows",                  /* sendmail */
  "Message header follows",
  "Headers of the original message",
  "Header of the original message",
  "The original message headers",
  "Returned message",
  "Original-Nachricht",
  "Originalnachricht",
  "Ursprüngliche Nachricht",
  "Kopie der Nachricht",
  "Die ursprüngliche Nachricht",
  "Message d'origine",
  "Message original",
  "Mensaje original",
  "Messaggio originale",
  "Forwarded message",
};

/* word_before - the word (letters, digits, '.', '/') that ends at p, lowered, at most 15 bytes */
static void
word_before (const char *start, const char *p, char word[16])
{
  const char *e = p;
  while (e > start && (e[-1] == ' ' || e[-1] == '\t'))
    e--;
  const char *b = e;
  while (b > start && (g_ascii_isalnum (b[-1]) || b[-1] == '.' || b[-1] == '/') && e - b < 15)
    b--;
  gsize n = (gsize) (e - b);
  for (gsize i = 0; i < n; i++)
    word[i] = g_ascii_tolower (b[i]);
  word[n] = '\0';
}

/* in_table - TRUE if word is one of the n caseless words of table */
static gboolean
in_table (const char *word, const char *const *table, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (g_ascii_strcasecmp (word, table[i]) == 0)
      return TRUE;
  return FALSE;
}

/* digits - count the ASCII digits at p, at most max + 1 */
static gsize
digits (const char *p, gsize max)
{
  gsize n = 0;
  while (n <= max && g_ascii_isdigit (p[n]))
    n++;
  return n;
}

/* status_at - length of an enhanced status code at p (start of line at start), or zero */
static gsize
status_at (const char *start, const char *p)
{
  if (*p != '2' && *p != '4' && *p != '5')
    return 0;
  if (p > start && (g_ascii_isalnum (p[-1]) || p[-1] == '.' || p[-1] == '_'
                    || p[-1] == ':' || p[-1] == '/'))
    return 0;                                       /* 10.5.1.1, a5.1.1, [::5.1.1], path/4.1.2 */
  if (p[1] != '.')
    return 0;
  gsize a = digits (p + 2, 3);
  if (a == 0 || a > 3 || p[2 + a] != '.')
    return 0;
  const char *q = p + 3 + a;
  gsize b = digits (q, 3);
  if (b == 0 || b > 3)
    return 0;                                       /* 4.11.2024 is a date */
  const char *e = q + b;
  if (g_ascii_isalpha (*e) || *e == '_' || (*e == '.' && g_ascii_isdigit (e[1])))
    return 0;                                       /* 5.1.1.1 is an address, 2.4.6a a version */
  if ((*e == '-' && g_ascii_isdigit (e[1])) || (p - start >= 2 && p[-1] == '-'
                                                && g_ascii_isalpha (p[-2])))
    return 0;                                       /* mta-5.5.0-3 is a version */
  char word[16];
  word_before (start, p, word);
  if (in_table (word, version_words, G_N_ELEMENTS (version_words)))
    return 0;
  return (gsize) (e - p);
}

/* reply_at - TRUE if a 2xx/4xx/5xx reply code stands alone at p */
static gboolean
reply_at (const char *start, const char *p)
{
  if ((*p != '2' && *p != '4' && *p != '5') || p[1] < '0' || p[1] > '5'
      || !g_ascii_isdigit (p[2]))
    return FALSE;
  if (p > start && (g_ascii_isalnum (p[-1]) || p[-1] == '.' || p[-1] == ',' || p[-1] == ':'
                    || p[-1] == '/' || p[-1] == '+' || p[-1] == '$'))
    return FALSE;
  const char *e = p + 3;
  if (g_ascii_isalnum (*e) || *e == '.' || *e == ',' || *e == ':' || *e == '/' || *e == '%')
    return FALSE;                                   /* 550.3, 250,000, 12:50, 500% */
  while (*e == ' ' || *e == '\t')
    e++;
  const char *w = e;
  while (g_ascii_isalpha (*e) && e - w < 15)
    e++;
  char word[16];
  gsize n = (gsize) (e - w);
  for (gsize i = 0; i < n; i++)
    word[i] = g_ascii_tolower (w[i]);
  word[n] = '\0';
  return !in_table (word, size_words, G_N_ELEMENTS (size_words));
}

/* after_address - TRUE if the word that ends at colon (blank-separated) is an address */
static gboolean
after_address (const char *start, const char *colon)
{
  const char *b = colon;
  while (b > start && b[-1] != ' ' && b[-1] != '\t')
    b--;
  return memchr (b, '@', (gsize) (colon - b)) != NULL;
}

/* reply_place_ok - TRUE if a reply code at p is where MTAs write one */
static gboolean
reply_place_ok (const char *start, const char *p)
{
  const char *b = start;
  while (b < p && (*b == ' ' || *b == '\t' || *b == '>' || *b == '<' || *b == '"'
                   || *b == '\'' || *b == '(' || *b == '[' || *b == '#' || *b == '*'))
    b++;
  if (b == p)
    return TRUE;                                    /* at the start of the line */
  if (p[-1] == '#')
    return TRUE;                                    /* #550 5.1.1 (Exchange) */
  const char *s = p + 3;
  if ((*s == ' ' || *s == '-') && status_at (start, s + 1) > 0)
    return TRUE;                                    /* 550 5.1.1, 550-5.1.1 */
  const char *e = p;
  if (e > start && (e[-1] == '\'' || e[-1] == '"' || e[-1] == '(' || e[-1] == '['))
    e--;
  while (e > start && (e[-1] == ' ' || e[-1] == '\t'))
    e--;
  if (e > start && e[-1] == ':' && after_address (start, e - 1))
    return TRUE;                                    /* <rcpt@example.net>: 550 unknown user */
  for (gsize i = 0; i < G_N_ELEMENTS (lead_ins); i++) {
    gsize n = strlen (lead_ins[i]);
    const char *li = lead_ins[i];
    if (li[n - 1] == '\'' || li[n - 1] == '"') {   /* "returned '": the quote is part of it */
      if (p - start >= (gssize) n && g_ascii_strncasecmp (p - n, li, n) == 0)
        return TRUE;
      continue;
    }
    if (e - start >= (gssize) n && g_ascii_strncasecmp (e - n, li, n) == 0)
      return TRUE;
  }
  return FALSE;
}

/**
 * ndr_evidence_parse_line:
 * @line: one line of text, NUL-terminated
 * @status: (out caller-allocates): the first enhanced status code, "" if none
 * @reply_code: (out): the first SMTP reply code where MTAs write one, 0 if none
 *
 * Returns: TRUE if the line has a status code or a reply code.
 */
gboolean
ndr_evidence_parse_line (const char *line, char status[16], int *reply_code)
{
  status[0] = '\0';
  *reply_code = 0;
  if (line == NULL)
    return FALSE;
  for (const char *p = line; *p != '\0'; p++) {
    if (status[0] == '\0') {
      gsize n = status_at (line, p);
      if (n > 0 && n < 16) {
        memcpy (status, p, n);
        status[n] = '\0';
        if (p - line >= 4 && (p[-1] == ' ' || p[-1] == '-') && reply_at (line, p - 4))
          *reply_code = (p[-4] - '0') * 100 + (p[-3] - '0') * 10 + (p[-2] - '0');
        p += n - 1;                                 /* "220-... 421 4.2.1": the 421 is it */
        continue;
      }
    }
    if (*reply_code == 0 && reply_at (line, p) && reply_place_ok (line, p)) {
      *reply_code = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
      p += 2;
    }
    if (status[0] != '\0' && *reply_code != 0)
      break;
  }
  return status[0] != '\0' || *reply_code != 0;
}

/* starts_original - TRUE if the line begins a quoted original message */
static gboolean
starts_original (const char *line, gsize len)
{
  gsize i = 0;
  while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '-' || line[i] == '='
                     || line[i] == '*' || line[i] == '_'))
    i++;
  if (i == len)
    return FALSE;
  char first = g_ascii_tolower (line[i]);
  for (gsize k = 0; k < G_N_ELEMENTS (original_markers); k++) {
    if (g_ascii_tolower (original_markers[k][0]) != first)
      continue;                                     /* cheap test first: runs on every line */
    gsize n = strlen (original_markers[k]);
    if (len - i >= n && g_ascii_strncasecmp (line + i, original_markers[k], n) == 0)
      return TRUE;
  }
  return FALSE;
}

/**
 * ndr_evidence_starts_original:
 * @line: a line (need not be NUL-terminated)
 * @len: its length
 *
 * Returns: TRUE if the line begins a quoted original message ("------ This is a copy of the
 * message", "----- Original message -----", "Ursprüngliche Nachricht", ...).
 */
gboolean
ndr_evidence_starts_original (const char *line, gsize len)
{
  return line != NULL && starts_original (line, len);
}

/**
 * ndr_evidence_add:
 * @into: NdrEvidence * array
 * @source: where the line was found
 * @status: (nullable): enhanced status code
 * @reply_code: reply code or 0
 * @text: (nullable): the line, already cleaned and cut
 * @limits: the limits in force
 *
 * Appends one item, unless @into holds limits->max_evidence items already.
 */
void
ndr_evidence_add (GPtrArray *into, NdrSource source, const char *status, int reply_code,
                  const char *text, const NdrLimits *limits)
{
  g_return_if_fail (into != NULL && limits != NULL);
  if (into->len >= limits->max_evidence)
    return;
  g_ptr_array_add (into, ndr_evidence_new (source, status, reply_code, text));
}

/**
 * ndr_evidence_scan:
 * @into: NdrEvidence * array to append to
 * @source: the source to record
 * @text: (nullable): NUL-terminated text, any line endings
 * @stop_at_original: stop at a line that begins a quoted original, skip "> " lines
 * @limits: the limits in force (max_line, max_evidence)
 *
 * Returns: the number of items appended.
 */
guint
ndr_evidence_scan (GPtrArray *into, NdrSource source, const char *text,
                   gboolean stop_at_original, const NdrLimits *limits)
{
  g_return_val_if_fail (into != NULL && limits != NULL, 0);
  if (text == NULL)
    return 0;
  guint added = 0;
  const char *cursor = text, *line;
  gsize len;
  while (ndr_text_next_line (&cursor, &line, &len)) {
    if (stop_at_original) {
      if (starts_original (line, len))
        break;
      if (len > 0 && line[0] == '>')
        continue;
    }
    g_autofree char *cut = ndr_text_trim_dup (line, len, limits->max_line);
    if (cut == NULL)
      continue;
    char status[16];
    int reply;
    if (!ndr_evidence_parse_line (cut, status, &reply))
      continue;
    if (into->len >= limits->max_evidence)
      break;
    ndr_evidence_add (into, source, status, reply, cut, limits);
    added++;
  }
  return added;
}
