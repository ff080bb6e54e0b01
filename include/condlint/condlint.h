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

/* Add a file or a directory to check. A directory is walked for *.py files
 * and C++ sources (.cpp, .cc, .cu, .h, .hpp) that register ops, honouring
 * .gitignore; a file named explicitly is always checked. */
CONDLINT_API int condlint_session_add_path(condlint_session *session, const char *path);

/* Add in-memory source (stdin, an editor buffer). The bytes are copied. */
CONDLINT_API int condlint_session_add_source(condlint_session *session, const char *path,
                                             const char *bytes, size_t len);

/* Number of worker threads for parsing and summarising (0: one per core). */
CONDLINT_API void condlint_session_set_jobs(condlint_session *session, unsigned jobs);

/* C++ custom ops (.cpp, .cc, .cu, .h, .hpp... that use TORCH_LIBRARY) are
 * parsed with libclang. Take each file's flags from the compile_commands.json
 * in dir (dir may also name the file itself) instead of the shim headers that
 * condlint ships. Call before condlint_session_analyze. Returns CONDLINT_EIO
 * when the file is missing, CONDLINT_ECONFIG when it does not parse. */
CONDLINT_API int condlint_session_set_compile_commands(condlint_session *session,
                                                       const char *dir);

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

/* How a finding's fix may be applied: NONE (no fix), DISPLAY_ONLY (advice,
 * no edits), SAFE (applied by --fix: changes nothing but the cond's folding),
 * UNSAFE (applied with --unsafe-fixes: may change more of the trace). */
typedef enum {
  CONDLINT_FIX_NONE = 0,
  CONDLINT_FIX_DISPLAY_ONLY = 1,
  CONDLINT_FIX_SAFE = 2,
  CONDLINT_FIX_UNSAFE = 3
} condlint_fix_applicability;

/* One text edit of a fix: replace the range with content (borrowed). The
 * range is 1-based like every location; start and end are byte offsets. */
typedef struct {
  const char *path;
  unsigned line, column, end_line, end_column;
  size_t start, end;
  const char *content;
} condlint_edit;

CONDLINT_API condlint_fix_applicability condlint_diag_fix_applicability(const condlint_diag *diag);
CONDLINT_API size_t condlint_diag_edit_count(const condlint_diag *diag);
CONDLINT_API condlint_edit condlint_diag_edit(const condlint_diag *diag, size_t i);

/* Apply the fixes of an analysed session's findings to their files: the safe
 * ones, and the unsafe ones too when unsafe is non-zero. Overlapping edits are
 * left for a later run. When diff is non-NULL nothing is written: a unified
 * diff of the changes goes there instead. Files are replaced atomically
 * (temporary file + rename). Returns the number of fixes applied, or a
 * negative CONDLINT_E* code (message from condlint_session_error). */
CONDLINT_API int condlint_session_fix(condlint_session *session, int unsafe, FILE *diff);

/* Render every finding of an analysed session. format: "text", "json",
 * "concise", "sarif", "github", "gitlab", "junit".
 * color: 0 never, 1 always. Returns CONDLINT_EUSAGE for an unknown format. */
CONDLINT_API int condlint_session_render(const condlint_session *session, const char *format,
                                         int color, FILE *out);

/* ---- added: fingerprints, baselines, configuration ---------------------- */

/* A finding's identity across runs, 16 hex digits: a hash of its code, its
 * path, the text of its primary line (whitespace-normalized) and its rank
 * among the findings of the same code on equal lines of that file. It
 * survives the code moving up or down; SARIF's partialFingerprints, GitLab's
 * fingerprint and baselines use it. Borrowed, like the finding. */
CONDLINT_API const char *condlint_diag_fingerprint(const condlint_diag *diag);

/* Baselines: a JSON file of accepted findings (by fingerprint).
 * write_baseline records every finding of an analysed session at path
 * (atomically: a temporary file renamed over it). apply_baseline drops the
 * findings the file at path records; CONDLINT_EIO when it cannot be read,
 * CONDLINT_ECONFIG when it is not a baseline. baselined_count: how many
 * findings apply_baseline dropped. */
CONDLINT_API int condlint_session_write_baseline(const condlint_session *session,
                                                 const char *path);
CONDLINT_API int condlint_session_apply_baseline(condlint_session *session, const char *path);
CONDLINT_API size_t condlint_session_baselined_count(const condlint_session *session);

/* Where each rule is documented: CONDLINT_RULE_DOCS_URL followed by its code
 * (SARIF helpUri, LSP codeDescription). */
#define CONDLINT_RULE_DOCS_URL "https://condlint.dev/rules/"

/* Settings: for each checked file the closest configuration file walking up
 * from its directory (.condlint.toml, condlint.toml, or pyproject.toml with a
 * [tool.condlint] table), with command-line overrides on top. */
typedef struct condlint_config condlint_config;

CONDLINT_API condlint_config *condlint_config_new(void);
CONDLINT_API void condlint_config_free(condlint_config *config);
/* Use the file at path for every checked file instead of searching (--config);
 * CONDLINT_ECONFIG when it is missing or invalid. */
CONDLINT_API int condlint_config_set_file(condlint_config *config, const char *path);
/* Read no configuration file: defaults and overrides only (--isolated). */
CONDLINT_API void condlint_config_set_isolated(condlint_config *config, int isolated);
/* An override of the command line, above every file. key "select",
 * "extend-select" or "ignore": value is a comma-separated list of rule codes,
 * prefixes (CL1) or ALL, and repeated calls add to the list; key
 * "force-exclude": "true" or "false". CONDLINT_EUSAGE for a bad key or code. */
CONDLINT_API int condlint_config_override(condlint_config *config, const char *key,
                                          const char *value);
/* The output-format the configuration governing the working directory sets,
 * or NULL in *format (borrowed from config). */
CONDLINT_API int condlint_config_output_format(condlint_config *config, const char **format);
/* Print, as TOML, the effective settings for path (a file or a directory):
 * the configuration file used, each setting, and the rules selected there. */
CONDLINT_API int condlint_config_describe(condlint_config *config, const char *path, FILE *out);
/* The message of the last failing call; a bad file reads "path:line:col: message". */
CONDLINT_API const char *condlint_config_error(const condlint_config *config);
/* The session takes its settings from config (borrowed: it must outlive the
 * session; set it before adding paths). Without one every rule is selected and
 * no configuration file is read. A bad configuration makes add_path or
 * analyze fail with CONDLINT_ECONFIG. */
CONDLINT_API void condlint_session_set_config(condlint_session *session, condlint_config *config);

/* ---- added: documents, for editors (condlint server) --------------------- */

/* A document is one source file held across analyses, as an editor holds a
 * buffer: its parse (syntax tree and the analysis' lowered form) is kept,
 * shared by every session it is added to, and redone incrementally (the
 * previous syntax tree is edited over the bytes that changed and reused)
 * when its text changes. path need not exist on disk; the document starts
 * empty. */
typedef struct condlint_document condlint_document;

CONDLINT_API condlint_document *condlint_document_new(const char *path);
CONDLINT_API void condlint_document_free(condlint_document *doc);
/* Replace the text; bytes are copied. Not while a live session holds doc. */
CONDLINT_API void condlint_document_set_text(condlint_document *doc, const char *bytes,
                                             size_t len);
/* The current text, borrowed from doc until its next set_text. */
CONDLINT_API const char *condlint_document_text(const condlint_document *doc, size_t *len);
/* Add doc to the session, which borrows it: doc must outlive the session, keep
 * its text while the session lives, and be in one live session at a time.
 * checked: report its findings (0: it is there to resolve imports, as a file
 * loaded from disk on demand would be, and it is then preferred to the disk's
 * copy). It is parsed here when its text changed since its last parse.
 * CONDLINT_ECONFIG when the configuration that governs it is invalid. */
CONDLINT_API int condlint_session_add_document(condlint_session *session,
                                               condlint_document *doc, int checked);

/* Every file the session holds: those added, and once analysed those it
 * loaded from disk to resolve imports (not checked). The path is canonical
 * (realpath) where the file exists, borrowed from the session; *checked (may
 * be NULL) says whether its findings are reported. */
CONDLINT_API size_t condlint_session_input_count(const condlint_session *session);
CONDLINT_API const char *condlint_session_input_path(const condlint_session *session, size_t i,
                                                     int *checked);

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

/* ---- added: the summary cache ---------------------------------------------- */

/* Cache what parsing each file produced (its lowered IR, the parse's CL901,
 * CL903 and CL904 findings, and the prefilter's verdict) in dir, keyed by the
 * file's content hash, the condlint build and the configuration, and record
 * each file's prefilter verdict by path and stat: a later run parses only the
 * files that changed, and does not read the files it skipped before. Findings
 * are the same with and without the cache. dir NULL: .condlint_cache in the
 * project root (the nearest directory above the working directory that holds
 * .git, pyproject.toml or condlint.toml, else the working directory).
 * enabled 0 (the default): no cache is read or written. Call before
 * condlint_session_analyze. */
CONDLINT_API void condlint_session_set_cache(condlint_session *session, const char *dir,
                                             int enabled);
/* Remove the cache directory that condlint_session_set_cache names (or the
 * default one). A directory without condlint's CACHEDIR.TAG is left alone
 * (CONDLINT_EUSAGE); CONDLINT_EIO when it cannot be removed. */
CONDLINT_API int condlint_session_clean_cache(condlint_session *session);

#ifdef __cplusplus
}
#endif
#endif /* CONDLINT_H */
