/* link.c — modules and imports. `import a.b` and `from .x import y` resolve
 * to files: first among the files being checked, then on disk next to the
 * importing file and its parent directories, where a file is loaded on
 * demand only to link (its own findings are not reported). Anything that
 * resolves to no file (torch, numpy...) is an external name. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "interp.h"
#include "results.h"

cl_modinfo *cl_module_for_file(cl_interp *I, cl_file *f) {
  for (size_t i = 0; i < I->mods.n; i++) {
    cl_modinfo *m = I->mods.v[i];
    if (m->file == f) return m;
  }
  /* a module lives as long as the analysis, whichever root imported it */
  cl_arena *saved_a = I->a;
  I->a = I->perm;
  cl_modinfo *m = cl_arena_alloc(I->a, sizeof *m);
  m->file = f;
  m->env = cl_env_new(I, NULL);
  const char *slash = strrchr(f->abspath, '/');
  m->pkgdir = slash ? cl_arena_strndup(I->a, f->abspath, (size_t)(slash - f->abspath)) : ".";
  cl_env_set(I, m->env, "__name__", cl_v_str(I, m->file->mod ? m->file->mod->dotted : NULL));
  cl_vec_push(&I->mods, m);
  I->a = saved_a;
  return m;
}

void cl_module_exec(cl_interp *I, cl_modinfo *m) {
  if (m->executed || m->executing || !m->file->mod) return;
  m->executing = true;
  /* module bodies run as host code, whatever context imported them */
  int saved_ctx = I->ctx;
  cl_val *saved_active = I->active_mode;
  cl_arena *saved_a = I->a;
  I->active_mode = NULL;
  I->a = I->perm; /* its values outlive the root that imported it */
  cl_exec_module_body(I, m);
  I->a = saved_a;
  I->ctx = saved_ctx;
  I->active_mode = saved_active;
  m->executing = false;
  m->executed = true;
}

static cl_file *file_by_abspath(cl_interp *I, const char *abspath) {
  return cl_session_find_abspath(I->s, abspath);
}

/* What find_in found for a (directory, module) pair: the file system does not
 * change during a run, and a file once loaded stays in the session, so the
 * realpath and stat calls of a resolution are made once per pair, not each
 * time an import runs. */
typedef struct {
  char *key; /* "dir\nmodule" */
  uint64_t h;
  cl_file *f;
} memo_slot;

struct cl_linkmemo {
  memo_slot *slots;
  size_t nslots, nused;
};

static uint64_t fnv(uint64_t h, const char *k) {
  for (; *k; k++) h = (h ^ (unsigned char)*k) * 1099511628211ull;
  return h;
}

/* The hash of "dir\nmodule", made without joining them: an import that
 * runs again (in every root that calls its function) allocates nothing. */
static uint64_t pair_hash(const char *dir, const char *mod) {
  uint64_t h = fnv(1469598103934665603ull, dir);
  h = (h ^ '\n') * 1099511628211ull;
  return fnv(h, mod);
}

static bool pair_eq(const char *key, const char *dir, const char *mod) {
  size_t dl = strlen(dir);
  return !strncmp(key, dir, dl) && key[dl] == '\n' && !strcmp(key + dl + 1, mod);
}

static memo_slot *memo_find(cl_interp *I, const char *dir, const char *mod, bool *hit) {
  struct cl_linkmemo *M = I->link;
  if (!M) M = I->link = cl_xcalloc(1, sizeof *M);
  if ((M->nused + 1) * 2 > M->nslots) {
    size_t old = M->nslots;
    memo_slot *os = M->slots;
    M->nslots = old ? old * 2 : 256;
    M->slots = cl_xcalloc(M->nslots, sizeof *M->slots);
    for (size_t i = 0; i < old; i++)
      if (os[i].key) {
        size_t j = os[i].h & (M->nslots - 1);
        while (M->slots[j].key) j = (j + 1) & (M->nslots - 1);
        M->slots[j] = os[i];
      }
    free(os);
  }
  uint64_t h = pair_hash(dir, mod);
  size_t m = M->nslots - 1, i = h & m;
  for (; M->slots[i].key; i = (i + 1) & m)
    if (M->slots[i].h == h && pair_eq(M->slots[i].key, dir, mod)) {
      *hit = true;
      return &M->slots[i];
    }
  *hit = false;
  M->slots[i].key = cl_xasprintf("%s\n%s", dir, mod);
  M->slots[i].h = h;
  M->nused++;
  return &M->slots[i];
}

void cl_link_free(cl_interp *I) {
  struct cl_linkmemo *M = I->link;
  if (!M) return;
  for (size_t i = 0; i < M->nslots; i++) free(M->slots[i].key);
  free(M->slots);
  free(M);
  I->link = NULL;
}

/* Load a file from disk to link against it. */
static cl_file *load_context_file(cl_interp *I, const char *path) {
  char *rp = realpath(path, NULL);
  if (!rp) return NULL;
  cl_file *f = file_by_abspath(I, rp);
  if (f) {
    free(rp);
    return f;
  }
  FILE *fp = fopen(rp, "rb");
  struct stat st;
  if (!fp || fstat(fileno(fp), &st) != 0) {
    if (fp) fclose(fp);
    cl_results_disable(cl_session_results(I->s), "an imported file that cannot be read");
    free(rp);
    return NULL;
  }
  size_t cap = 8192, n = 0;
  char *buf = cl_xmalloc(cap);
  size_t got;
  while ((got = fread(buf + n, 1, cap - n - 1, fp)) > 0) {
    n += got;
    if (cap - n < 2) buf = cl_xrealloc(buf, cap *= 2);
    if (n > 16 * 1024 * 1024) break; /* a context file that large is not a helper module */
  }
  fclose(fp);
  buf[n] = 0;
  cl_results_note_loaded(cl_session_results(I->s), rp, &st, buf, n);
  f = cl_session_add_bytes(I->s, rp, buf, n, false);
  free(rp);
  f->lazy_bodies = cl_lazy_bodies_on(); /* loaded to link, as the link tier */
  cl_parse_file(I->s, f);
  return f;
}

static bool is_file(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Find the file of a dotted module name, relative to base. */
static cl_file *find_in_disk(cl_interp *I, const char *base, const char *dotted);

static cl_file *find_in(cl_interp *I, const char *base, const char *dotted) {
  bool hit;
  memo_slot *slot = memo_find(I, base, dotted, &hit);
  if (hit) return slot->f;
  cl_file *f = find_in_disk(I, base, dotted);
  /* find_in_disk may have loaded a file: look the slot up again (no rehash
   * happened in between, since nothing was inserted, but stay safe) */
  slot = memo_find(I, base, dotted, &hit);
  slot->f = f;
  return f;
}

static cl_file *find_in_disk(cl_interp *I, const char *base, const char *dotted) {
  char *rel = cl_xstrdup(dotted);
  for (char *p = rel; *p; p++)
    if (*p == '.') *p = '/';
  char *cand[2] = {cl_xasprintf("%s/%s.py", base, rel), cl_xasprintf("%s/%s/__init__.py", base, rel)};
  size_t bl = strlen(base) + 1; /* cand[i] + bl: the part below base */
  cl_file *f = NULL;
  for (int i = 0; i < 2 && !f; i++) {
    /* most candidates do not exist: one stat says so, where realpath makes
     * a readlink per component */
    struct stat st;
    if (stat(cand[i], &st) != 0) {
      cl_results_note_absent(cl_session_results(I->s), base, cand[i] + bl);
      continue;
    }
    /* base is canonical (a module's directory): a candidate that is a
     * session file under this very name needs no realpath */
    f = file_by_abspath(I, cand[i]);
    if (f) break;
    char *rp = realpath(cand[i], NULL);
    if (rp) {
      f = file_by_abspath(I, rp);
      if (!f && is_file(rp)) f = load_context_file(I, rp);
      free(rp);
    }
    if (!f) /* there, but not a module: what it becomes is not recorded */
      cl_results_disable(cl_session_results(I->s), "an import candidate that is not a file");
  }
  free(cand[0]);
  free(cand[1]);
  free(rel);
  return f;
}

static cl_file *resolve(cl_interp *I, const char *dotted, int level) {
  const char *from = I->curmod ? I->curmod->pkgdir : ".";
  char *base = cl_xstrdup(from);
  cl_file *f = NULL;
  if (level > 0) {
    for (int i = 1; i < level; i++) {
      char *slash = strrchr(base, '/');
      if (slash && slash != base) *slash = 0;
    }
    if (!dotted || !*dotted) {
      f = find_in(I, base, "__init__");
    } else {
      f = find_in(I, base, dotted);
    }
  } else {
    /* absolute: the importing file's directory and its parents stand in for sys.path */
    for (int up = 0; up < 8 && !f; up++) {
      f = find_in(I, base, dotted);
      char *slash = strrchr(base, '/');
      if (!slash || slash == base) break;
      *slash = 0;
    }
  }
  free(base);
  return f;
}

static cl_val *module_value(cl_interp *I, cl_file *f, const char *dotted) {
  cl_modinfo *m = cl_module_for_file(I, f);
  cl_module_exec(I, m);
  cl_val *v = cl_v_new(I, VK_MODULE);
  v->mod = m;
  v->s = dotted;
  return v;
}

cl_val *cl_import_module(cl_interp *I, const char *dotted, int level, bool *found) {
  *found = false;
  if (!strncmp(dotted, "torch", 5) || !strncmp(dotted, "functorch", 9))
    return cl_v_extern(I, dotted); /* never shadowed by a local file */
  cl_file *f = resolve(I, dotted, level);
  if (!f || !f->mod) return cl_v_extern(I, dotted);
  *found = true;
  return module_value(I, f, dotted);
}

cl_val *cl_import_from(cl_interp *I, const char *module, int level, const char *name) {
  bool found = false;
  if (level == 0 && (!strncmp(module, "torch", 5) || !strncmp(module, "functorch", 9)))
    return cl_v_extern(I, cl_arena_printf(I->a, "%s.%s", module, name));
  cl_file *f = resolve(I, module, level);
  if (f && f->mod) {
    cl_val *m = module_value(I, f, module);
    cl_val *v = cl_env_get_local(m->mod->env, name);
    if (v) return v;
  }
  /* from pkg import submodule */
  const char *sub = module && *module ? cl_arena_printf(I->a, "%s.%s", module, name) : name;
  cl_file *sf = resolve(I, sub, level);
  if (sf && sf->mod) return module_value(I, sf, sub);
  if (level > 0) return cl_v_unknown(I);
  (void)found;
  return cl_v_extern(I, cl_arena_printf(I->a, "%s.%s", module, name));
}
