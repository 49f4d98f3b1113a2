/*
 * NAME
 *   ndr_html.c - turn an HTML part into plain text that keeps lines and table cells
 * DESCRIPTION
 *   ndr_html_to_text() parses with libxml2's HTML parser (no network, no error output,
 *   recovering from anything) and walks the tree without recursion. Block elements end
 *   lines, table cells are separated by a TAB and rows end lines, so a table such as the
 *   Office 365 "Message hops" reads as one line of cells per row. White space is collapsed
 *   except inside <pre>. A data cell (short, no table inside) stays on its row: a <br> or a
 *   block inside it is a space; a layout cell (one that wraps a whole message) keeps its
 *   lines. script, style, head and the like are skipped.
 * TRUST
 *   None: the HTML is a stranger's. Its length is cut to what libxml2 takes, elements
 *   nested deeper than limits->max_html_depth are skipped, and the text stops growing at
 *   limits->max_text bytes.
 */
#include "parser_priv.h"

#include <string.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#define DATA_CELL_TEXT  256u  /* a cell with less text than this (and no table) is data */
#define DATA_CELL_NODES 64u   /* nodes of a cell looked at to decide; more: a layout cell */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)

typedef struct {
  GString *out;       /* the text so far */
  gsize    max;       /* limits->max_text */
  gboolean space;     /* white space seen and not yet written */
  guint    pre;       /* depth of <pre> elements we are in */
  const xmlNode *cell;/* the data cell we are in (its content stays on one line), or NULL */
  guint    cells;     /* cells started in the current row */
} Walk;

typedef enum {
  EL_INLINE = 0,      /* text flows through */
  EL_SKIP,            /* nothing inside is text */
  EL_BLOCK,           /* starts and ends a line */
  EL_BREAK,           /* <br>: a line end, or a space inside a data cell */
  EL_ROW,             /* <tr>: a line, whose cells are counted */
  EL_CELL,            /* <td>, <th>: a TAB before all but the first cell of a row */
  EL_PRE,             /* <pre>: a block whose white space is kept */
} ElementKind;

static const struct {
  const char *name;
  ElementKind kind;
} elements[] = {
  { "script", EL_SKIP }, { "style", EL_SKIP }, { "head", EL_SKIP }, { "title", EL_SKIP },
  { "noscript", EL_SKIP }, { "template", EL_SKIP }, { "object", EL_SKIP },
  { "iframe", EL_SKIP }, { "svg", EL_SKIP },
  { "br", EL_BREAK }, { "tr", EL_ROW }, { "td", EL_CELL }, { "th", EL_CELL },
  { "pre", EL_PRE }, { "xmp", EL_PRE }, { "listing", EL_PRE },
  { "p", EL_BLOCK }, { "div", EL_BLOCK }, { "h1", EL_BLOCK }, { "h2", EL_BLOCK },
  { "h3", EL_BLOCK }, { "h4", EL_BLOCK }, { "h5", EL_BLOCK }, { "h6", EL_BLOCK },
  { "li", EL_BLOCK }, { "ul", EL_BLOCK }, { "ol", EL_BLOCK }, { "dl", EL_BLOCK },
  { "dt", EL_BLOCK }, { "dd", EL_BLOCK }, { "table", EL_BLOCK }, { "thead", EL_BLOCK },
  { "tbody", EL_BLOCK }, { "tfoot", EL_BLOCK }, { "caption", EL_BLOCK },
  { "blockquote", EL_BLOCK }, { "center", EL_BLOCK }, { "hr", EL_BLOCK },
  { "address", EL_BLOCK }, { "form", EL_BLOCK }, { "section", EL_BLOCK },
  { "article", EL_BLOCK }, { "header", EL_BLOCK }, { "footer", EL_BLOCK },
  { "nav", EL_BLOCK }, { "aside", EL_BLOCK }, { "main", EL_BLOCK },
  { "body", EL_BLOCK }, { "html", EL_BLOCK },
};

/* kind_of - how an element's name shapes the text */
static ElementKind
kind_of (const xmlNode *node)
{
  const char *name = (const char *) node->name;
  if (name == NULL)
    return EL_INLINE;
  for (guint i = 0; i < G_N_ELEMENTS (elements); i++)
    if (g_ascii_strcasecmp (name, elements[i].name) == 0)
      return elements[i].kind;
  return EL_INLINE;
}

/* full - has the text reached its limit? */
static gboolean
full (const Walk *w)
{
  return w->out->len >= w->max;
}

/* end_line - end the current line unless it is empty; trailing blanks go first */
static void
end_line (Walk *w)
{
  GString *out = w->out;
  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  if (out->len > 0 && out->str[out->len - 1] != '\n')
    g_string_append_c (out, '\n');
  w->space = FALSE;
}

/* line_break - a <br>: a new line even if this one is empty, at most one empty line */
static void
line_break (Walk *w)
{
  GString *out = w->out;
  if (w->cell != NULL) {
    w->space = TRUE;
    return;
  }
  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  if (out->len >= 2 && out->str[out->len - 1] == '\n' && out->str[out->len - 2] == '\n')
    return;
  if (out->len > 0)
    g_string_append_c (out, '\n');
  w->space = FALSE;
}

/* add_text - append a text node, collapsing white space (NBSP too) unless inside <pre> */
static void
add_text (Walk *w, const char *s)
{
  GString *out = w->out;
  if (w->pre > 0) {
    for (; *s != '\0' && !full (w); s++)
      if (*s != '\r')
        g_string_append_c (out, *s);
    w->space = FALSE;
    return;
  }
  while (*s != '\0' && !full (w)) {
    gsize nb = (guchar) s[0] == 0xC2 && (guchar) s[1] == 0xA0 ? 2 : 0;
    if (nb > 0 || g_ascii_isspace (*s)) {
      w->space = TRUE;
      s += nb > 0 ? nb : 1;
      continue;
    }
    if (w->space && out->len > 0 && out->str[out->len - 1] != '\n'
        && out->str[out->len - 1] != '\t')
      g_string_append_c (out, ' ');
    w->space = FALSE;
    g_string_append_c (out, *s);
    s++;
  }
}

/* is_data_cell - is a td/th short and free of tables, so that it belongs on one line? */
static gboolean
is_data_cell (const xmlNode *cell)
{
  const xmlNode *node = cell->children;
  gsize text = 0;
  guint seen = 0;
  while (node != NULL) {
    if (++seen > DATA_CELL_NODES)
      return FALSE;
    if (node->type == XML_ELEMENT_NODE && (kind_of (node) == EL_ROW || kind_of (node) == EL_CELL
                                           || g_ascii_strcasecmp ((const char *) node->name,
                                                                  "table") == 0))
      return FALSE;
    if (node->type == XML_TEXT_NODE && node->content != NULL
        && (text += strlen ((const char *) node->content)) >= DATA_CELL_TEXT)
      return FALSE;
    if (node->type == XML_ELEMENT_NODE && node->children != NULL) {
      node = node->children;
      continue;
    }
    while (node != NULL && node->next == NULL && node != cell)   /* climb, never above cell */
      node = node->parent;
    node = (node == NULL || node == cell) ? NULL : node->next;
  }
  return TRUE;
}

/* block_edge - a block starts or ends: a line end, or a space inside a data cell */
static void
block_edge (Walk *w)
{
  if (w->cell != NULL)
    w->space = TRUE;
  else
    end_line (w);
}

/* enter - an element starts; returns FALSE when its content is to be skipped */
static gboolean
enter (Walk *w, const xmlNode *node)
{
  switch (kind_of (node)) {
  case EL_SKIP:
    return FALSE;
  case EL_BREAK:
    line_break (w);
    return FALSE;
  case EL_BLOCK:
    block_edge (w);
    break;
  case EL_PRE:
    block_edge (w);
    if (w->cell == NULL)
      w->pre++;
    break;
  case EL_ROW:
    end_line (w);
    w->cells = 0;
    break;
  case EL_CELL:
    if (w->cells > 0)
      g_string_append_c (w->out, '\t');
    w->cells++;
    if (w->cell == NULL && is_data_cell (node))
      w->cell = node;
    w->space = FALSE;
    break;
  case EL_INLINE:
  default:
    break;
  }
  return TRUE;
}

/* leave - an element whose content was walked ends */
static void
leave (Walk *w, const xmlNode *node)
{
  switch (kind_of (node)) {
  case EL_PRE:
    if (w->cell == NULL && w->pre > 0)
      w->pre--;
    block_edge (w);
    break;
  case EL_CELL:
    if (w->cell == node)
      w->cell = NULL;
    while (w->out->len > 0 && w->out->str[w->out->len - 1] == ' ')
      g_string_truncate (w->out, w->out->len - 1);
    w->space = FALSE;
    break;
  case EL_BLOCK:
    block_edge (w);
    break;
  case EL_ROW:
    end_line (w);
    break;
  case EL_INLINE:
  case EL_SKIP:
  case EL_BREAK:
  default:
    break;
  }
}

/* walk - visit the tree below root in document order, without recursion */
static void
walk (Walk *w, xmlNode *root, guint max_depth)
{
  xmlNode *node = root;
  guint depth = 0;
  while (node != NULL && !full (w)) {
    gboolean descend = FALSE;
    if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
      if (node->content != NULL)
        add_text (w, (const char *) node->content);
    } else if (node->type == XML_ELEMENT_NODE) {
      descend = enter (w, node) && node->children != NULL && depth < max_depth;
      if (!descend && kind_of (node) != EL_SKIP && kind_of (node) != EL_BREAK)
        leave (w, node);
    }
    if (descend) {
      node = node->children;
      depth++;
      continue;
    }
    while (node != NULL && node->next == NULL) {      /* climb until a sibling is left */
      node = depth > 0 ? node->parent : NULL;
      if (node == NULL)
        break;
      depth--;
      leave (w, node);
      if (depth == 0 && node == root) {
        node = NULL;
        break;
      }
    }
    if (node != NULL)
      node = node == root ? NULL : node->next;
  }
}

/**
 * ndr_html_to_text:
 * @html: HTML as UTF-8 (a declared charset inside it is ignored)
 * @len: its length in bytes
 * @limits: the limits in force (max_html_depth, max_text)
 *
 * Turns HTML into plain text through libxml2's HTML parser: block elements (p, div, br,
 * h1-h6, li, tr, table ...) end lines, td and th cells are separated by a TAB, white space is
 * collapsed outside <pre>, and script, style and head are left out. Elements nested deeper
 * than limits->max_html_depth are skipped; the text is cut at limits->max_text bytes.
 *
 * Returns: (transfer full): the text as valid UTF-8; an empty string if nothing is left.
 */
char *
ndr_html_to_text (const char *html, gsize len, const NdrLimits *limits)
{
  g_return_val_if_fail (limits != NULL, NULL);
  if (html == NULL || len == 0)
    return g_strdup ("");
  if (len > (gsize) G_MAXINT)                 /* libxml2 takes an int size */
    len = (gsize) G_MAXINT;
  static gsize xml_ready = 0;
  if (g_once_init_enter (&xml_ready)) {       /* libxml2 wants this once, before threads race */
    xmlInitParser ();
    g_once_init_leave (&xml_ready, 1);
  }
  int options = HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING
                | HTML_PARSE_RECOVER | HTML_PARSE_COMPACT | HTML_PARSE_IGNORE_ENC;
  g_autoptr(xmlDoc) doc = htmlReadMemory (html, (int) len, NULL, "UTF-8", options);
  xmlNode *root = doc != NULL ? xmlDocGetRootElement (doc) : NULL;
  if (root == NULL)
    return g_strdup ("");
  g_autoptr(GString) out = g_string_sized_new (MIN (len, (gsize) 64 * 1024));
  Walk w = { .out = out, .max = limits->max_text };
  walk (&w, root, limits->max_html_depth);
  end_line (&w);
  while (out->len > 0 && g_ascii_isspace (out->str[out->len - 1]))
    g_string_truncate (out, out->len - 1);
  return ndr_text_clean_utf8 (out->str, (gssize) out->len, limits->max_text);
}
