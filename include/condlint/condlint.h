/*
 * condlint.h — the public API of libcondlint.
 *
 * condlint finds torch.cond call sites whose predicate is a plain Python value
 * when the code is traced (make_fx, torch.export, torch.compile, fake-tensor
 * recipes), so that the traced artifact keeps one branch and loses the
 * dispatch.
 *
 * Conventions: every object is opaque and comes in a _new/_free pair;
 * _free(NULL) is a no-op. Functions that can fail return int: 0 on success, a
 * negative CONDLINT_E* code on failure, and the message is then read with
 * condlint_session_error(). Strings returned by accessors are borrowed: they
 * belong to the object they were read from and live until it is freed.
 * Out-of-memory aborts the process with a message.
 */
#ifndef CONDLINT_H
#define CONDLINT_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(CONDLINT_BUILDING)
#define CONDLINT_API __attribute__((visibility("default")))
#else
#define CONDLINT_API
#endif

enum {
  CONDLINT_OK = 0,
  CONDLINT_EIO = -1,       /* a path is missing or unreadable */
  CONDLINT_EUSAGE = -2,    /* a bad argument or option value */
  CONDLINT_ECONFIG = -3,   /* a configuration file is invalid */
  CONDLINT_EINTERNAL = -4  /* a bug in condlint */
};

typedef enum {
  CONDLINT_SEVERITY_INFO = 0,    /* never changes the exit status */
  CONDLINT_SEVERITY_WARNING = 1,
  CONDLINT_SEVERITY_ERROR = 2
} condlint_severity;

/* A source range; lines and columns are 1-based, columns count characters. */
typedef struct {
  const char *path;
  unsigned line, column, end_line, end_column;
  const char *message; /* NULL for a finding's primary location */
} condlint_location;

typedef struct condlint_session condlint_session;
typedef struct condlint_diag condlint_diag;
typedef struct condlint_rule condlint_rule;

CONDLINT_API const char *condlint_version(void);

/* A session analyses one set of files together (imports are resolved across
 * them) and owns every finding it produces. */
CONDLINT_API condlint_session *condlint_session_new(void);
CONDLINT_API void condlint_session_free(condlint_session *session);

/* Add a file or a directory to check. A directory is walked for *.py files,
 * honouring .gitignore; a file named explicitly is always checked. */
CONDLINT_API int condlint_session_add_path(condlint_session *session, const char *path);

/* Add in-memory source (stdin, an editor buffer). The bytes are copied. */
CONDLINT_API int condlint_session_add_source(condlint_session *session, const char *path,
                                             const char *bytes, size_t len);

/* Number of worker threads for parsing and summarising (0: one per core). */
CONDLINT_API void condlint_session_set_jobs(condlint_session *session, unsigned jobs);

/* Run the whole pipeline over the files added so far. Findings are sorted by
 * path, line, column and code, whatever the scheduling. */
CONDLINT_API int condlint_session_analyze(condlint_session *session);

/* The message of the last failing call, or "" when none failed. */
CONDLINT_API const char *condlint_session_error(const condlint_session *session);

CONDLINT_API size_t condlint_session_file_count(const condlint_session *session);
CONDLINT_API size_t condlint_session_diag_count(const condlint_session *session);
/* Borrowed; valid until the session is freed. NULL when i is out of range. */
CONDLINT_API const condlint_diag *condlint_session_diag(const condlint_session *session,
                                                        size_t i);

CONDLINT_API const char *condlint_diag_code(const condlint_diag *diag);
CONDLINT_API const char *condlint_diag_name(const condlint_diag *diag);
CONDLINT_API condlint_severity condlint_diag_severity(const condlint_diag *diag);
CONDLINT_API const char *condlint_diag_message(const condlint_diag *diag);
CONDLINT_API condlint_location condlint_diag_location(const condlint_diag *diag);
CONDLINT_API size_t condlint_diag_related_count(const condlint_diag *diag);
CONDLINT_API condlint_location condlint_diag_related(const condlint_diag *diag, size_t i);
/* A human-readable fix hint, or NULL. */
CONDLINT_API const char *condlint_diag_fix(const condlint_diag *diag);

/* Render every finding of an analysed session. format: "text", "json".
 * color: 0 never, 1 always. Returns CONDLINT_EUSAGE for an unknown format. */
CONDLINT_API int condlint_session_render(const condlint_session *session, const char *format,
                                         int color, FILE *out);

/* The rule catalog, generated from the rule files' header comments. */
CONDLINT_API size_t condlint_rule_count(void);
CONDLINT_API const condlint_rule *condlint_rule_at(size_t i);
CONDLINT_API const condlint_rule *condlint_rule_find(const char *code);
CONDLINT_API const char *condlint_rule_code(const condlint_rule *rule);
CONDLINT_API const char *condlint_rule_name(const condlint_rule *rule);
CONDLINT_API condlint_severity condlint_rule_severity(const condlint_rule *rule);
CONDLINT_API const char *condlint_rule_summary(const condlint_rule *rule);
/* The rule's documentation in Markdown (what it does, why, example, fix). */
CONDLINT_API const char *condlint_rule_doc(const condlint_rule *rule);

#ifdef __cplusplus
}
#endif
#endif /* CONDLINT_H */
