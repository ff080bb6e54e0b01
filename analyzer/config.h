/* config.h — configuration files ([tool.condlint] in pyproject.toml,
 * condlint.toml, .condlint.toml), command-line overrides, and what the
 * session asks of them: which files discovery skips, which rules are selected
 * for a file, and each finding's severity. Module prefix: cl_config_. */
#ifndef CONDLINT_CONFIG_H
#define CONDLINT_CONFIG_H

#include "internal.h"
#include "serialize.h" /* cl_buf */

/* Discovery: should the file at path (found under the directory root that
 * was named on the command line, or named itself when explicit_arg) be
 * skipped? Loads the configuration governing it; CONDLINT_ECONFIG (with the
 * session's error set to "path:line:col: message") when that is invalid. */
int cl_config_excluded(condlint_session *s, const char *root, const char *path,
                       bool explicit_arg, bool *excluded);
/* The same, where both paths are canonical already (realpath's results). */
int cl_config_excluded_real(condlint_session *s, const char *real_root, const char *real_path,
                            bool explicit_arg, bool *excluded);

/* What the settings of a run depend on, appended to b: the command line's
 * settings and every configuration file loaded so far, by path and content
 * hash (results.c keys a whole run's findings with it). c may be NULL. */
void cl_config_identity(const condlint_config *c, cl_buf *b);

/* Load the configuration of every checked file; fails like cl_config_excluded. */
int cl_config_prepare(condlint_session *s);

/* Is some rule whose code starts with code (a full code or a prefix) selected
 * for file f? Without a configuration every rule is. */
bool cl_config_selected(condlint_session *s, const cl_file *f, const char *code);

/* The dimension contracts the configuration declares for the function
 * qualname of file f ("dynamic x[1]", ...): their count, the strings (owned by
 * the configuration) and the configuration file's path. */
size_t cl_config_contracts(condlint_session *s, const cl_file *f, const char *qualname,
                           const char *const **specs, const char **config_path);

/* Drop the findings of rules that are not selected for their file (select,
 * extend-select, ignore, per-file-ignores) and apply severity overrides. */
void cl_config_apply(condlint_session *s);

/* Paths: an absolute, normalized ('.', '..' and '//' folded) copy of path,
 * without resolving links; and path relative to the working directory when it
 * lies below it (else a copy). Both malloc'd. */
char *cl_path_absolute(const char *path);
char *cl_path_from_cwd(const char *path);

#endif
