/* report.h — the output formats beyond text and JSON (one file each:
 * report_concise.c, report_sarif.c, report_github.c, report_gitlab.c,
 * report_junit.c), finding fingerprints (fingerprint.c), and the helpers they
 * share (report_util.c). */
#ifndef CONDLINT_REPORT_H
#define CONDLINT_REPORT_H

#include <stdio.h>

#include "internal.h"

/* fingerprint.c: fill every finding's fingerprint; the findings are sorted. */
void cl_fingerprint_all(condlint_session *s);

int cl_report_concise(const condlint_session *s, int color, FILE *out);
int cl_report_sarif(const condlint_session *s, FILE *out);
int cl_report_github(const condlint_session *s, FILE *out);
int cl_report_gitlab(const condlint_session *s, FILE *out);
int cl_report_junit(const condlint_session *s, FILE *out);

/* report_util.c */
const char *cl_severity_name(condlint_severity s); /* "error", "warning", "info" */
/* A copy of s in which each byte that is not valid UTF-8 became U+FFFD. */
char *cl_utf8_clean(const char *s);
/* A report path: relative to the working directory when it lies below it. */
char *cl_report_path(const char *path);
/* path as a URI reference: relative paths percent-encoded, absolute ones as
 * file:// URIs. */
char *cl_path_uri(const char *path);

#endif
