/*
 * NAME
 *   ndr_formats.c - the list of bounce formats, in the order they are tried
 * DESCRIPTION
 *   Adding a format is one file (ndr_mta_NAME.c with an NdrFormat), one row here and one
 *   corpus case. Specific formats come before generic ones.
 * TRUST
 *   Nothing: a table.
 */
#include "parser_priv.h"

const NdrFormat *const ndr_formats[] = {
  &ndr_format_o365,
  &ndr_format_yahoo,
  &ndr_format_amazonses,
  &ndr_format_gmail,
  &ndr_format_courier,
  &ndr_format_opensmtpd,
  &ndr_format_domino,
  &ndr_format_gmx,
  &ndr_format_x3,
  &ndr_format_sendgrid,
  &ndr_format_messagingserver,
  &ndr_format_mcafee,
  &ndr_format_trendmicro,
  &ndr_format_barracuda,
  &ndr_format_zoho,
  &ndr_format_dragonfly,
  &ndr_format_outlook,
  &ndr_format_mailfoundry,
  &ndr_format_postfix,
  &ndr_format_sendmail,
  &ndr_format_exim,
  &ndr_format_qmail,
  &ndr_format_x1,
  &ndr_format_x2,
  &ndr_format_x4,
  &ndr_format_imailserver,
  &ndr_format_mailmarshal,
  &ndr_format_apachejames,
  NULL,
};
