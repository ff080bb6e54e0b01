/* results.c — a whole run's findings, replayed while none of its inputs
 * changed (results.h says what an entry holds and why that is enough).
 *
 * Replaying reads the entry, checks every dependency against the file system
 * (a stat each; a read and a hash only where a stat key changed or was
 * racy), and only then touches the session: a miss leaves it as it was, and
 * the run goes on cold or warm as before. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "interp.h" /* cl_session_find_abspath */
#include "prefilter.h"
#include "results.h"
#include "serialize.h"

const condlint_rule *cl_rule_lookup(const char *code, const char **name, condlint_severity *sev);

#define RACY_SECONDS 3

typedef struct {
  char *path;
  cl_statkey k;
  cl_hash h;
} rloaded;

typedef struct {
  char *dir;
  bool present; /* the directory existed when first looked in */
  cl_statkey k;
  cl_vec names; /* char*: the paths below dir that were not there */
} rgroup;

typedef struct {
  char *abspath, *path;
  bool named, hashed;
  bool scan_only; /* skipped by the prefilter and never loaded: its scan is what counts */
  cl_statkey k;
  cl_hash h, scan;
} rfile;

struct cl_results {
  cl_buf key;
  const char *off; /* why this run is not recorded, or NULL */
  rfile *files;
  size_t nfiles, capfiles;
  rloaded *loaded;
  size_t nloaded, caploaded;
  rgroup *groups;
  size_t ngroups, capgroups;
  size_t *slots; /* dir hash -> group index + 1 */
  size_t nslots;
  char miss[256]; /* why the recorded entry was not replayed */
  size_t rescanned; /* skipped files that changed, and whose scans did not */
};

cl_results *cl_results_new(void) {
  cl_results *r = cl_xcalloc(1, sizeof *r);
  cl_buf_str(&r->key, "condlint results 2");
  return r;
}

void cl_results_free(cl_results *r) {
  if (!r) return;
  cl_buf_free(&r->key);
  for (size_t i = 0; i < r->nfiles; i++) free(r->files[i].abspath), free(r->files[i].path);
  free(r->files);
  for (size_t i = 0; i < r->nloaded; i++) free(r->loaded[i].path);
  free(r->loaded);
  for (size_t i = 0; i < r->ngroups; i++) {
    free(r->groups[i].dir);
    for (size_t j = 0; j < r->groups[i].names.n; j++) free(r->groups[i].names.v[j]);
    cl_vec_free(&r->groups[i].names);
  }
  free(r->groups);
  free(r->slots);
  free(r);
}

void cl_results_key(cl_results *r, const void *p, size_t n) { cl_buf_put(&r->key, p, n); }

void cl_results_disable(cl_results *r, const char *why) {
  if (r && !r->off) r->off = why;
}

const char *cl_results_disabled(const cl_results *r) { return r ? r->off : "no cache"; }

const char *cl_results_miss(const cl_results *r) { return r && r->miss[0] ? r->miss : NULL; }

size_t cl_results_rescanned(const cl_results *r) { return r ? r->rescanned : 0; }

static bool missed(cl_results *r, const char *what, const char *path) {
  if (!r->miss[0]) snprintf(r->miss, sizeof r->miss, "%s%s%s", what, path ? ": " : "", path ? path : "");
  return false;
}

static void grow(void **v, size_t *cap, size_t n, size_t size) {
  if (n < *cap) return;
  *cap = *cap ? *cap * 2 : 64;
  *v = cl_xrealloc(*v, *cap * size);
}

void cl_results_file(cl_results *r, const cl_file *f, bool named, const cl_statkey *k) {
  grow((void **)&r->files, &r->capfiles, r->nfiles, sizeof *r->files);
  rfile *e = &r->files[r->nfiles++];
  memset(e, 0, sizeof *e);
  e->abspath = cl_xstrdup(f->abspath);
  e->path = cl_xstrdup(f->path);
  e->named = named;
  e->k = *k;
}

void cl_results_file_hash(cl_results *r, size_t i, cl_hash h) {
  if (i >= r->nfiles) return;
  r->files[i].h = h;
  r->files[i].hashed = true;
}

void cl_results_file_scan(cl_results *r, size_t i, cl_hash scan) {
  if (i >= r->nfiles) return;
  r->files[i].scan = scan;
  r->files[i].scan_only = true;
}

static cl_statkey key_of(const struct stat *st) {
  return (cl_statkey){(uint64_t)st->st_size,
                      (uint64_t)st->st_mtim.tv_sec * 1000000000u + (uint64_t)st->st_mtim.tv_nsec,
                      (uint64_t)st->st_ino, (uint64_t)st->st_dev};
}

static bool key_eq(const cl_statkey *a, const cl_statkey *b) {
  return a->size == b->size && a->mtime_ns == b->mtime_ns && a->ino == b->ino && a->dev == b->dev;
}

static bool racy(const cl_statkey *k, uint64_t stored_at) {
  return k->mtime_ns / 1000000000u + RACY_SECONDS >= stored_at;
}

/* ---- recording ----------------------------------------------------------- */

static uint64_t str_hash(const char *s) {
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h ^ (h >> 31);
}

static rgroup *group_for(cl_results *r, const char *dir) {
  if ((r->ngroups + 1) * 2 > r->nslots) {
    free(r->slots);
    r->nslots = r->nslots ? r->nslots * 2 : 256;
    r->slots = cl_xcalloc(r->nslots, sizeof *r->slots);
    for (size_t g = 0; g < r->ngroups; g++) {
      size_t i = str_hash(r->groups[g].dir) & (r->nslots - 1);
      while (r->slots[i]) i = (i + 1) & (r->nslots - 1);
      r->slots[i] = g + 1;
    }
  }
  size_t i = str_hash(dir) & (r->nslots - 1);
  for (; r->slots[i]; i = (i + 1) & (r->nslots - 1))
    if (!strcmp(r->groups[r->slots[i] - 1].dir, dir)) return &r->groups[r->slots[i] - 1];
  grow((void **)&r->groups, &r->capgroups, r->ngroups, sizeof *r->groups);
  rgroup *g = &r->groups[r->ngroups];
  memset(g, 0, sizeof *g);
  g->dir = cl_xstrdup(dir);
  /* the directory's state before the path is looked at again by anyone:
   * whatever appears in it later changes its stat key */
  struct stat st;
  g->present = stat(dir, &st) == 0;
  if (g->present) g->k = key_of(&st);
  r->slots[i] = ++r->ngroups;
  return g;
}

/* base/rel is filed under the deepest directory on its way that exists:
 * while that one is unchanged nothing was added to it, so the path's first
 * missing component is still missing. The way is walked down from base (not
 * up from the path: a dotted name 100,000 parts long has a missing first
 * part); each directory is looked at once per run. */
void cl_results_note_absent(cl_results *r, const char *base, const char *rel) {
  if (!r || r->off) return;
  /* by index: group_for may move the groups */
  size_t g = (size_t)(group_for(r, base) - r->groups);
  if (!r->groups[g].present) {
    cl_results_disable(r, "an import looked up from a directory that does not exist");
    return;
  }
  size_t bl = strlen(base), done = 0; /* rel[0 .. done) is inside group g */
  for (const char *slash = strchr(rel, '/'); slash; slash = strchr(slash + 1, '/')) {
    char *dir = cl_xasprintf("%.*s/%.*s", (int)bl, base, (int)(slash - rel), rel);
    rgroup *sub = group_for(r, dir);
    free(dir);
    if (!sub->present) break;
    g = (size_t)(sub - r->groups);
    done = (size_t)(slash - rel) + 1;
  }
  cl_vec_push(&r->groups[g].names, cl_xstrdup(rel + done));
}

void cl_results_note_loaded(cl_results *r, const char *abspath, const struct stat *st,
                            const char *bytes, size_t len) {
  if (!r || r->off) return;
  grow((void **)&r->loaded, &r->caploaded, r->nloaded, sizeof *r->loaded);
  rloaded *e = &r->loaded[r->nloaded++];
  e->path = cl_xstrdup(abspath);
  e->k = key_of(st);
  e->h = cl_hash128(bytes, len, 0);
}

/* ---- the entry ------------------------------------------------------------ */

static void put_key(cl_buf *b, const cl_statkey *k) {
  cl_buf_varint(b, k->size);
  cl_buf_varint(b, k->mtime_ns);
  cl_buf_varint(b, k->ino);
  cl_buf_varint(b, k->dev);
}

static void get_key(cl_rd *rd, cl_statkey *k) {
  k->size = cl_rd_varint(rd);
  k->mtime_ns = cl_rd_varint(rd);
  k->ino = cl_rd_varint(rd);
  k->dev = cl_rd_varint(rd);
}

static void put_hash(cl_buf *b, cl_hash h) {
  cl_buf_u64le(b, h.lo);
  cl_buf_u64le(b, h.hi);
}

static cl_hash get_hash(cl_rd *rd) {
  cl_hash h;
  h.lo = cl_rd_u64le(rd);
  h.hi = cl_rd_u64le(rd);
  return h;
}

static cl_hash run_key(const cl_results *r) { return cl_hash128(r->key.p, r->key.n, 5); }

/* The session's files that findings point into, numbered as the entry
 * numbers them. */
typedef struct {
  int *of_index; /* session file index -> entry number + 1 */
  cl_vec files;  /* cl_file* by entry number */
} fileref;

static uint64_t ref(fileref *fr, condlint_session *s, int index) {
  if (index < 0 || (size_t)index >= s->files.n) return 0;
  if (!fr->of_index[index]) {
    cl_vec_push(&fr->files, s->files.v[index]);
    fr->of_index[index] = (int)fr->files.n;
  }
  return (uint64_t)fr->of_index[index];
}

static void put_loc(cl_buf *b, uint64_t file, const cl_loc *l, bool with_message) {
  cl_buf_varint(b, file);
  cl_buf_varint(b, l->start);
  cl_buf_varint(b, l->end);
  if (with_message) cl_buf_str(b, l->message);
}

void cl_results_store(cl_results *r, condlint_session *s, cl_cache *c) {
  if (!r || r->off || !c) return;
  for (size_t i = 0; i < r->nfiles; i++)
    if (!r->files[i].hashed) return; /* a file vanished or could not be read */
  cl_buf b = {0};
  cl_buf_varint(&b, (uint64_t)r->key.n + 1); /* as cl_buf_str writes, for cl_rd_bytes */
  cl_buf_put(&b, r->key.p, r->key.n);
  cl_buf_u64le(&b, (uint64_t)time(NULL));
  cl_buf_varint(&b, r->nfiles);
  for (size_t i = 0; i < r->nfiles; i++) {
    const rfile *e = &r->files[i];
    cl_buf_str(&b, e->abspath);
    cl_buf_str(&b, e->path);
    cl_buf_u8(&b, e->named);
    put_key(&b, &e->k);
    put_hash(&b, e->h);
    cl_buf_u8(&b, e->scan_only);
    if (e->scan_only) put_hash(&b, e->scan);
  }
  size_t ng = 0;
  for (size_t i = 0; i < r->ngroups; i++) ng += r->groups[i].names.n > 0;
  cl_buf_varint(&b, ng);
  for (size_t i = 0; i < r->ngroups; i++) {
    const rgroup *g = &r->groups[i];
    if (!g->names.n) continue; /* a missing directory: its paths are filed above it */
    cl_buf_str(&b, g->dir);
    cl_buf_u8(&b, g->present);
    put_key(&b, &g->k);
    cl_buf_varint(&b, g->names.n);
    for (size_t j = 0; j < g->names.n; j++) cl_buf_str(&b, g->names.v[j]);
  }
  cl_buf_varint(&b, r->nloaded);
  for (size_t i = 0; i < r->nloaded; i++) {
    cl_buf_str(&b, r->loaded[i].path);
    put_key(&b, &r->loaded[i].k);
    put_hash(&b, r->loaded[i].h);
  }
  /* the findings, their files first */
  fileref fr = {cl_xcalloc(s->files.n ? s->files.n : 1, sizeof(int)), {0}};
  for (size_t i = 0; i < s->diags.n; i++) {
    const condlint_diag *d = s->diags.v[i];
    ref(&fr, s, d->loc.file);
    for (size_t j = 0; j < d->nrelated; j++) ref(&fr, s, d->related[j].file);
    for (size_t j = 0; j < d->nedits; j++) ref(&fr, s, d->edits[j].file);
  }
  cl_buf_varint(&b, fr.files.n);
  for (size_t i = 0; i < fr.files.n; i++) {
    const cl_file *f = fr.files.v[i];
    cl_buf_str(&b, f->abspath);
    cl_buf_str(&b, f->path);
    cl_buf_varint(&b, f->len);
  }
  cl_buf_varint(&b, s->diags.n);
  for (size_t i = 0; i < s->diags.n; i++) {
    const condlint_diag *d = s->diags.v[i];
    cl_buf_str(&b, d->code);
    cl_buf_varint(&b, (uint64_t)d->severity);
    cl_buf_str(&b, d->message);
    cl_buf_str(&b, d->fix);
    cl_buf_varint(&b, (uint64_t)d->applicability);
    put_loc(&b, ref(&fr, s, d->loc.file), &d->loc, false);
    cl_buf_varint(&b, d->nrelated);
    for (size_t j = 0; j < d->nrelated; j++) put_loc(&b, ref(&fr, s, d->related[j].file), &d->related[j], true);
    cl_buf_varint(&b, d->nedits);
    for (size_t j = 0; j < d->nedits; j++) put_loc(&b, ref(&fr, s, d->edits[j].file), &d->edits[j], true);
  }
  free(fr.of_index);
  cl_vec_free(&fr.files);
  cl_cache_results_write(c, run_key(r), b.p, b.n);
  cl_buf_free(&b);
}

/* ---- replaying ------------------------------------------------------------ */

/* Does the file at path still hold content hash h? With scan non-NULL, a
 * file that the prefilter skipped: does its scan still hash to *scan (the
 * same tier, the same imports), whatever else changed in it? */
static bool same_content_or_scan(cl_results *r, const char *path, cl_hash h, const cl_hash *scan) {
  char *bytes, *err = NULL;
  size_t len;
  if (cl_read_source(path, &bytes, &len, &err) != 0) {
    free(err);
    return false;
  }
  bool same = cl_hash_eq(cl_hash128(bytes, len, 0), h);
  if (!same && scan) {
    cl_scan sc;
    cl_prefilter_scan_few(bytes, len, &sc);
    same = cl_hash_eq(cl_scan_hash(&sc), *scan);
    r->rescanned += same;
    cl_scan_free(&sc);
  }
  free(bytes);
  return same;
}

static bool same_content(const char *path, cl_hash h) { return same_content_or_scan(NULL, path, h, NULL); }

static bool check_file(const char *path, const cl_statkey *k, cl_hash h, uint64_t at) {
  struct stat st;
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return false;
  cl_statkey now = key_of(&st);
  if (key_eq(&now, k) && !racy(k, at)) return true;
  return same_content(path, h);
}

static bool absent(const char *path) {
  struct stat st;
  return stat(path, &st) != 0 && (errno == ENOENT || errno == ENOTDIR);
}

typedef struct {
  const char *code, *name, *message, *fix;
  condlint_severity severity;
  condlint_fix_applicability applicability;
  cl_loc loc;
  cl_loc *related, *edits;
  size_t nrelated, nedits;
} rdiag;

static bool get_loc(cl_rd *rd, cl_arena *a, cl_loc *l, bool with_message, const size_t *lens,
                    size_t nfiles) {
  uint64_t f = cl_rd_varint(rd);
  l->file = (int)f - 1; /* an entry number until the files are known */
  l->start = (uint32_t)cl_rd_varint(rd);
  l->end = (uint32_t)cl_rd_varint(rd);
  l->message = with_message ? (char *)cl_rd_str(rd, a, NULL) : NULL;
  if (rd->bad || f > nfiles) return false;
  if (f == 0) return true;
  return l->start <= l->end && l->end <= lens[f - 1];
}

bool cl_results_replay(cl_results *r, condlint_session *s, const char *cache_dir) {
  if (!r || r->off) return false;
  size_t off, len;
  uint8_t *buf = cl_cache_results_read(cache_dir, run_key(r), &off, &len);
  if (!buf) return false;
  cl_rd rd = {buf + off, buf + off + len, false};
  cl_arena *tmp = cl_arena_new();
  bool ok = true;
  /* the key, in full: a hash collision is a miss */
  size_t kl;
  const uint8_t *kp = cl_rd_bytes(&rd, &kl);
  ok = (kp && kl == r->key.n && !memcmp(kp, r->key.p, kl)) || missed(r, "another run's entry", NULL);
  uint64_t at = cl_rd_u64le(&rd);
  /* the walk's files */
  ok = ok && (cl_rd_varint(&rd) == r->nfiles || missed(r, "files added or removed", NULL));
  for (size_t i = 0; ok && i < r->nfiles; i++) {
    const rfile *e = &r->files[i];
    const char *abspath = cl_rd_str(&rd, tmp, NULL), *path = cl_rd_str(&rd, tmp, NULL);
    bool named = cl_rd_u8(&rd) != 0;
    cl_statkey k;
    get_key(&rd, &k);
    cl_hash h = get_hash(&rd), scan = {0, 0};
    bool scan_only = cl_rd_u8(&rd) != 0;
    if (scan_only) scan = get_hash(&rd);
    ok = (!rd.bad && abspath && path && !strcmp(abspath, e->abspath) && !strcmp(path, e->path) &&
          named == e->named) ||
         missed(r, "files added or removed", e->path);
    if (ok && !(key_eq(&k, &e->k) && !racy(&k, at)))
      ok = same_content_or_scan(r, e->abspath, h, scan_only ? &scan : NULL) ||
           missed(r, scan_only ? "a skipped file changed its tier or imports" : "a file changed", e->path);
  }
  /* the import candidates that were not there */
  uint64_t ng = ok ? cl_rd_varint(&rd) : 0;
  for (uint64_t i = 0; ok && i < ng; i++) {
    const char *dir = cl_rd_str(&rd, tmp, NULL);
    bool present = cl_rd_u8(&rd) != 0;
    cl_statkey k;
    get_key(&rd, &k);
    uint64_t nn = cl_rd_varint(&rd);
    struct stat st;
    bool now = dir && stat(dir, &st) == 0;
    cl_statkey nk = now ? key_of(&st) : k;
    bool same = !rd.bad && dir && now == present && (!now || (key_eq(&nk, &k) && !racy(&k, at)));
    for (uint64_t j = 0; ok && j < nn; j++) {
      size_t nl;
      const uint8_t *name = cl_rd_bytes(&rd, &nl);
      if (rd.bad || !name || !dir) ok = false;
      else if (!same) {
        char *p = cl_xasprintf("%s/%.*s", dir, (int)nl, (const char *)name);
        ok = absent(p) || missed(r, "an import can be found now", p);
        free(p);
      }
    }
    ok = ok && !rd.bad;
  }
  /* files loaded from outside the walk */
  uint64_t nl = ok ? cl_rd_varint(&rd) : 0;
  for (uint64_t i = 0; ok && i < nl; i++) {
    const char *path = cl_rd_str(&rd, tmp, NULL);
    cl_statkey k;
    get_key(&rd, &k);
    cl_hash h = get_hash(&rd);
    ok = !rd.bad && path && (check_file(path, &k, h, at) || missed(r, "an imported file changed", path));
  }
  /* the findings' files, then the findings */
  uint64_t nf = ok ? cl_rd_varint(&rd) : 0;
  if (nf > len) ok = false;
  const char **fabs = cl_xcalloc(nf ? nf : 1, sizeof *fabs), **fpath = cl_xcalloc(nf ? nf : 1, sizeof *fpath);
  size_t *flen = cl_xcalloc(nf ? nf : 1, sizeof *flen);
  for (uint64_t i = 0; ok && i < nf; i++) {
    fabs[i] = cl_rd_str(&rd, tmp, NULL);
    fpath[i] = cl_rd_str(&rd, tmp, NULL);
    flen[i] = (size_t)cl_rd_varint(&rd);
    ok = !rd.bad && fabs[i] && fpath[i];
  }
  uint64_t nd = ok ? cl_rd_varint(&rd) : 0;
  if (nd > len) ok = false;
  rdiag *dv = cl_xcalloc(nd ? nd : 1, sizeof *dv);
  for (uint64_t i = 0; ok && i < nd; i++) {
    rdiag *d = &dv[i];
    const char *code = cl_rd_str(&rd, tmp, NULL);
    condlint_severity sev;
    const condlint_rule *rule = code ? cl_rule_lookup(code, &d->name, &sev) : NULL;
    d->code = rule ? condlint_rule_code(rule) : NULL;
    d->severity = (condlint_severity)cl_rd_varint(&rd);
    d->message = cl_rd_str(&rd, tmp, NULL);
    d->fix = cl_rd_str(&rd, tmp, NULL);
    d->applicability = (condlint_fix_applicability)cl_rd_varint(&rd);
    ok = !rd.bad && d->code && d->message && d->severity <= CONDLINT_SEVERITY_ERROR &&
         d->applicability <= CONDLINT_FIX_UNSAFE && get_loc(&rd, tmp, &d->loc, false, flen, nf);
    d->nrelated = ok ? (size_t)cl_rd_varint(&rd) : 0;
    if (d->nrelated > len) ok = false;
    if (ok) d->related = cl_xcalloc(d->nrelated ? d->nrelated : 1, sizeof *d->related);
    for (size_t j = 0; ok && j < d->nrelated; j++) ok = get_loc(&rd, tmp, &d->related[j], true, flen, nf);
    d->nedits = ok ? (size_t)cl_rd_varint(&rd) : 0;
    if (d->nedits > len) ok = false;
    if (ok) d->edits = cl_xcalloc(d->nedits ? d->nedits : 1, sizeof *d->edits);
    for (size_t j = 0; ok && j < d->nedits; j++) ok = get_loc(&rd, tmp, &d->edits[j], true, flen, nf);
  }
  ok = ok && rd.p == rd.end;
  if (!ok) missed(r, "a damaged entry", NULL);
  /* every finding's file, with its bytes (their length as recorded) */
  cl_file **files = cl_xcalloc(nf ? nf : 1, sizeof *files);
  char **bytes = cl_xcalloc(nf ? nf : 1, sizeof *bytes);
  for (uint64_t i = 0; ok && i < nf; i++) {
    files[i] = cl_session_find_abspath(s, fabs[i]);
    if (files[i] && files[i]->bytes) continue;
    size_t bl;
    char *err = NULL;
    if (cl_read_source(files[i] ? files[i]->abspath : fabs[i], &bytes[i], &bl, &err) != 0 || bl != flen[i])
      ok = missed(r, "a file changed", fpath[i]);
    free(err);
  }
  if (ok) { /* nothing changed: the session takes the findings */
    for (uint64_t i = 0; i < nf; i++) {
      if (!bytes[i]) continue;
      if (!files[i]) {
        files[i] = cl_session_add_bytes(s, fpath[i], bytes[i], flen[i], false);
        free(files[i]->abspath);
        files[i]->abspath = cl_xstrdup(fabs[i]);
      } else {
        files[i]->bytes = bytes[i];
        files[i]->len = flen[i];
        cl_file_index_lines(files[i]);
      }
      bytes[i] = NULL;
    }
    for (uint64_t i = 0; i < nd; i++) {
      rdiag *d = &dv[i];
      condlint_diag *out = cl_xcalloc(1, sizeof *out);
      out->code = d->code;
      out->name = d->name;
      out->severity = d->severity;
      out->message = cl_arena_strdup(s->arena, d->message);
      out->fix = d->fix ? cl_arena_strdup(s->arena, d->fix) : NULL;
      out->applicability = d->applicability;
      out->loc = d->loc;
      out->loc.file = d->loc.file >= 0 ? files[d->loc.file]->index : -1;
      out->related = d->related, out->nrelated = d->nrelated, d->related = NULL;
      out->edits = d->edits, out->nedits = d->nedits, d->edits = NULL;
      for (size_t j = 0; j < out->nrelated; j++) {
        cl_loc *l = &out->related[j];
        if (l->file >= 0) l->file = files[l->file]->index;
        if (l->message) l->message = cl_arena_strdup(s->arena, l->message);
      }
      for (size_t j = 0; j < out->nedits; j++) {
        cl_loc *l = &out->edits[j];
        if (l->file >= 0) l->file = files[l->file]->index;
        if (l->message) l->message = cl_arena_strdup(s->arena, l->message);
      }
      cl_vec_push(&s->diags, out);
    }
  }
  for (uint64_t i = 0; i < nd; i++) free(dv[i].related), free(dv[i].edits);
  for (uint64_t i = 0; i < nf; i++) free(bytes[i]);
  free(dv);
  free(bytes);
  free(files);
  free(fabs);
  free(fpath);
  free(flen);
  cl_arena_free(tmp);
  free(buf);
  return ok;
}
