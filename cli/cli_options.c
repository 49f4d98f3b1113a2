/*
 * NAME
 *   cli_options.c - options every subcommand that reads bounces shares: the limits
 * DESCRIPTION
 *   ndr_cli_main_group() makes the main GOption group of a subcommand: its own entries, then
 *   one --max-* option per field of NdrLimits (limit_options[] below; docs/limits.md lists
 *   the same). Sizes accept a suffix: 64M, 4k, 1G (powers of 1024; a trailing B is allowed).
 *   ndr_cli_print_error() and ndr_cli_exit_status() are how every subcommand reports;
 *   ndr_cli_flush() is how it writes.
 * TRUST
 *   Option values come from the user; each is checked and refused with a reason.
 */
#include "commands.h"
#include "output.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#define ERROR_SHOWN_MAX 1000   /* bytes of an error message printed; paths can be long */

/* One --max-* option: where its value goes in NdrLimits, and whether it takes a size. */
static const struct {
  const char *name;          /* without the leading -- */
  gsize       offset;        /* of the field in NdrLimits */
  gboolean    is_size;       /* a gsize taking a suffix; otherwise a guint count */
  const char *help;
} limit_options[] = {
  { "max-message-size", G_STRUCT_OFFSET (NdrLimits, max_message_size), TRUE,
    "Bytes of one message read; more is cut and flagged" },
  { "max-mime-depth", G_STRUCT_OFFSET (NdrLimits, max_mime_depth), FALSE,
    "Nesting of multiparts and attached messages followed" },
  { "max-recipients", G_STRUCT_OFFSET (NdrLimits, max_recipients), FALSE,
    "Recipients kept per message" },
  { "max-line", G_STRUCT_OFFSET (NdrLimits, max_line), TRUE,
    "Bytes of one line of text looked at" },
  { "max-header", G_STRUCT_OFFSET (NdrLimits, max_header), TRUE,
    "Bytes of one header block kept" },
  { "max-parts", G_STRUCT_OFFSET (NdrLimits, max_parts), FALSE,
    "MIME parts visited per message" },
  { "max-text", G_STRUCT_OFFSET (NdrLimits, max_text), TRUE,
    "Bytes of decoded text scanned per part" },
  { "max-evidence", G_STRUCT_OFFSET (NdrLimits, max_evidence), FALSE,
    "Evidence items kept per recipient" },
  { "max-html-depth", G_STRUCT_OFFSET (NdrLimits, max_html_depth), FALSE,
    "Element nesting followed in an HTML part" },
};

/**
 * ndr_cli_parse_size:
 * @text: what the user wrote: digits, optionally k, M or G (times 1024), optionally B
 * @max: the largest value accepted
 * @value: (out): the number of bytes
 * @error: NDR_ERROR_USAGE with the reason
 *
 * Returns: FALSE when @text is not a size from 1 to @max.
 */
gboolean
ndr_cli_parse_size (const char *text, guint64 max, guint64 *value, GError **error)
{
  g_return_val_if_fail (text != NULL && value != NULL, FALSE);
  gsize digits = strspn (text, "0123456789");
  const char *unit = text + digits;
  guint shift = 0;
  if (g_ascii_strcasecmp (unit, "k") == 0 || g_ascii_strcasecmp (unit, "kb") == 0)
    shift = 10;
  else if (g_ascii_strcasecmp (unit, "m") == 0 || g_ascii_strcasecmp (unit, "mb") == 0)
    shift = 20;
  else if (g_ascii_strcasecmp (unit, "g") == 0 || g_ascii_strcasecmp (unit, "gb") == 0)
    shift = 30;
  else if (*unit != '\0' && g_ascii_strcasecmp (unit, "b") != 0)
    digits = 0;                                          /* an unknown suffix */
  g_autofree char *number = g_strndup (text, digits);
  guint64 n = 0;
  if (digits == 0 || !g_ascii_string_to_unsigned (number, 10, 1, max >> shift, &n, NULL)) {
    g_set_error (error, NDR_ERROR, NDR_ERROR_USAGE,
                 "'%.40s' is not a size from 1 to %" G_GUINT64_FORMAT " (such as 4096, 64k, 64M)",
                 text, max);
    return FALSE;
  }
  *value = n << shift;
  return TRUE;
}

/* set_limit - GOption callback of every --max-* option; data is the NdrLimits */
static gboolean
set_limit (const char *option, const char *value, gpointer data, GError **error)
{
  const char *name = g_str_has_prefix (option, "--") ? option + 2 : option;
  for (gsize i = 0; i < G_N_ELEMENTS (limit_options); i++) {
    if (strcmp (name, limit_options[i].name) != 0)
      continue;
    char *field = (char *) data + limit_options[i].offset;
    guint64 n;
    guint64 max = limit_options[i].is_size ? MIN ((guint64) G_MAXSIZE, G_MAXINT64) : G_MAXUINT;
    if (limit_options[i].is_size) {
      if (!ndr_cli_parse_size (value, max, &n, error)) {
        g_prefix_error (error, "--%s: ", name);
        return FALSE;
      }
      *(gsize *) (void *) field = (gsize) n;
    } else {
      if (!g_ascii_string_to_unsigned (value, 10, 1, max, &n, NULL)) {
        g_set_error (error, NDR_ERROR, NDR_ERROR_USAGE,
                     "--%s: '%.40s' is not a number from 1 to %" G_GUINT64_FORMAT,
                     name, value, max);
        return FALSE;
      }
      *(guint *) (void *) field = (guint) n;
    }
    return TRUE;
  }
  g_set_error (error, NDR_ERROR, NDR_ERROR_USAGE, "unknown limit %s", option);
  return FALSE;
}

/* limit_help - "HELP (default N)" for one option, made once and kept for the process */
static const char *
limit_help (gsize i)
{
  static char *help[G_N_ELEMENTS (limit_options)];
  if (help[i] == NULL) {
    NdrLimits defaults;
    ndr_limits_init (&defaults);
    const char *field = (const char *) &defaults + limit_options[i].offset;
    guint64 n = limit_options[i].is_size ? *(const gsize *) (const void *) field
                                         : *(const guint *) (const void *) field;
    if (limit_options[i].is_size && n % (1024 * 1024) == 0)
      help[i] = g_strdup_printf ("%s (default %" G_GUINT64_FORMAT "M)", limit_options[i].help,
                                 n >> 20);
    else if (limit_options[i].is_size && n % 1024 == 0)
      help[i] = g_strdup_printf ("%s (default %" G_GUINT64_FORMAT "k)", limit_options[i].help,
                                 n >> 10);
    else
      help[i] = g_strdup_printf ("%s (default %" G_GUINT64_FORMAT ")", limit_options[i].help, n);
  }
  return help[i];
}

/**
 * ndr_cli_main_group:
 * @limits: the limits the --max-* options change; must outlive the group
 * @entries: (nullable): the subcommand's own entries, NULL-terminated, shown first
 *
 * Makes the main option group of a subcommand that reads bounces. Pass it to
 * g_option_context_set_main_group().
 *
 * Returns: (transfer full): the group
 */
GOptionGroup *
ndr_cli_main_group (NdrLimits *limits, const GOptionEntry *entries)
{
  g_return_val_if_fail (limits != NULL, NULL);
  union { GOptionArgFunc func; gpointer data; } callback = { .func = set_limit };  /* ISO C */
  GOptionGroup *group = g_option_group_new (NULL, NULL, NULL, limits, NULL);
  if (entries != NULL)
    g_option_group_add_entries (group, entries);
  for (gsize i = 0; i < G_N_ELEMENTS (limit_options); i++) {
    const GOptionEntry entry[] = {
      { limit_options[i].name, 0, 0, G_OPTION_ARG_CALLBACK, callback.data,
        limit_help (i), limit_options[i].is_size ? "SIZE" : "N" },
      G_OPTION_ENTRY_NULL
    };
    g_option_group_add_entries (group, entry);
  }
  return group;
}

/**
 * ndr_cli_print_error:
 * @error: what went wrong
 *
 * Prints "ndr: MESSAGE" on stderr, the message cleaned: it may quote a path or a bounce.
 */
void
ndr_cli_print_error (const GError *error)
{
  g_return_if_fail (error != NULL);
  g_autofree char *clean = ndr_printable (error->message, -1, ERROR_SHOWN_MAX,
                                          NDR_PRINTABLE_ONE_LINE);
  fflush (stdout);                                 /* keep the order of what a user sees */
  fprintf (stderr, "ndr: %s\n", clean);
}

/**
 * ndr_cli_exit_status:
 * @status: what a subcommand returned
 * @error: (nullable): the error it set
 *
 * Returns: @status, unless it is NDR_EXIT_OK with an error set: then NDR_EXIT_USAGE for a
 * usage or option error, NDR_EXIT_FAILURE for any other.
 */
int
ndr_cli_exit_status (int status, const GError *error)
{
  if (error == NULL || status != NDR_EXIT_OK)
    return status;
  if (g_error_matches (error, NDR_ERROR, NDR_ERROR_USAGE) || error->domain == G_OPTION_ERROR)
    return NDR_EXIT_USAGE;
  return NDR_EXIT_FAILURE;
}

/**
 * ndr_cli_flush:
 * @out: (nullable): output gathered; written to stdout and emptied
 * @error: NDR_ERROR_IO when stdout cannot be written
 *
 * Writes @out and flushes stdout. When the reader of a pipe has gone (`ndr parse x | head`),
 * ends the process by SIGPIPE, quietly, as cat does: GIO ignores SIGPIPE once loaded, which
 * would otherwise turn that into an error message.
 *
 * Returns: FALSE with @error set when the output could not be written.
 */
gboolean
ndr_cli_flush (GString *out, GError **error)
{
  gboolean ok = TRUE;
  if (out != NULL && out->len > 0)
    ok = fwrite (out->str, 1, out->len, stdout) == out->len;
  if (ok)
    ok = fflush (stdout) == 0 && !ferror (stdout);
  if (out != NULL)
    g_string_truncate (out, 0);
  if (ok)
    return TRUE;
  int saved = errno;
  if (saved == EPIPE) {
    signal (SIGPIPE, SIG_DFL);
    raise (SIGPIPE);
  }
  g_set_error (error, NDR_ERROR, NDR_ERROR_IO, "writing the output: %s", g_strerror (saved));
  return FALSE;
}
