/*
 * discover.c — turn the paths on the command line into the files to check.
 * A file named explicitly is always checked; a directory is walked for *.py
 * files and C++ sources (cl_cxx_is_source: .cpp, .cu, .h ...) in sorted
 * order, honouring the .gitignore files met on the way (negation,
 * directory-only, anchored patterns, '**'), and skipping VCS and
 * tool directories. Symbolic links to directories are not followed, so
 * link loops cannot trap the walk.
 *
 * What the walk should check but cannot read (a file or directory without
 * read permission, an I/O error) is not skipped in silence: the walk goes on,
 * then fails with CONDLINT_EIO and a message naming each (the caller still
 * has the readable files; `condlint check` reports them and exits 2). A
 * directory named by the caller that cannot be read fails at once. Entries
 * that vanish during the walk (ENOENT) are skipped: churn is not an error.
 */
#include <dirent.h>
#include <fcntl.h> /* AT_SYMLINK_NOFOLLOW */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cxx.h"
#include "internal.h"

typedef struct {
  char *pat;      /* pattern without '!', leading '/', trailing '/' */
  bool negate, dir_only, anchored;
  const char *base; /* directory of the .gitignore, relative to the walk root ("" for root) */
} ignore_rule;

typedef struct {
  ignore_rule *v;
  size_t n, cap;
} ignore_list;

static const char *const SKIP_DIRS[] = {".git", ".hg", ".svn", "__pycache__", ".condlint_cache",
                                        "node_modules", ".venv", ".tox", ".mypy_cache",
                                        ".ruff_cache", ".pytest_cache", ".eggs", NULL};

/* glob match of a pattern against a '/'-separated path: '*' and '?' stop at
 * '/', '**' crosses directories. */
static bool glob(const char *p, const char *s) {
  while (*p) {
    if (p[0] == '*' && p[1] == '*') {
      p += 2;
      bool dirs = *p == '/'; /* '**' + '/': zero or more whole directories */
      if (dirs) p++;
      for (;;) {
        if (glob(p, s)) return true;
        if (!*s) return false;
        if (dirs) {
          while (*s && *s != '/') s++;
          if (!*s) return false;
        }
        s++;
      }
    }
    if (*p == '*') {
      p++;
      for (;;) {
        if (glob(p, s)) return true;
        if (!*s || *s == '/') return false;
        s++;
      }
    }
    if (!*s) return false;
    if (*p == '?') {
      if (*s == '/') return false;
    } else if (*p == '[') {
      const char *q = p + 1;
      bool neg = *q == '!' || *q == '^', hit = false;
      if (neg) q++;
      for (; *q && *q != ']'; q++) {
        if (q[1] == '-' && q[2] && q[2] != ']') {
          if (*s >= q[0] && *s <= q[2]) hit = true;
          q += 2;
        } else if (*q == *s) {
          hit = true;
        }
      }
      if (!*q || hit == neg) return false;
      p = q;
    } else {
      if (*p == '\\' && p[1]) p++;
      if (*p != *s) return false;
    }
    p++;
    s++;
  }
  return !*s;
}

bool cl_glob_match(const char *pattern, const char *path);
bool cl_glob_match(const char *pattern, const char *path) { return glob(pattern, path); }

static void load_gitignore(ignore_list *l, const char *dir, const char *rel) {
  char *path = cl_xasprintf("%s/.gitignore", dir);
  FILE *fp = fopen(path, "r");
  free(path);
  if (!fp) return;
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, fp)) >= 0) {
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' ')) line[--n] = 0;
    char *p = line;
    if (!*p || *p == '#') continue;
    ignore_rule r = {0};
    if (*p == '!') r.negate = true, p++;
    size_t len = strlen(p);
    if (len && p[len - 1] == '/') r.dir_only = true, p[--len] = 0;
    if (*p == '/') r.anchored = true, p++;
    else if (strchr(p, '/')) r.anchored = true;
    if (!strncmp(p, "**/", 3)) r.anchored = false, p += 3;
    if (!*p) continue;
    r.pat = cl_xstrdup(p);
    r.base = rel;
    if (l->n == l->cap) {
      l->cap = l->cap ? l->cap * 2 : 16;
      l->v = cl_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = r;
  }
  free(line);
  fclose(fp);
}

/* rel: path relative to the walk root; name: its last component. */
static bool ignored(const ignore_list *l, const char *rel, const char *name, bool is_dir) {
  bool ign = false;
  for (size_t i = 0; i < l->n; i++) {
    const ignore_rule *r = &l->v[i];
    if (r->dir_only && !is_dir) continue;
    size_t bl = strlen(r->base);
    const char *sub = rel;
    if (bl) {
      if (strncmp(rel, r->base, bl) || rel[bl] != '/') continue;
      sub = rel + bl + 1;
    }
    bool m = r->anchored ? glob(r->pat, sub) : glob(r->pat, name);
    if (m) ign = !r->negate;
  }
  return ign;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_py_suffix(const char *name) {
  size_t l = strlen(name);
  return l > 3 && !strcmp(name + l - 3, ".py"); /* .pyi stubs hold no code that runs */
}

typedef struct {
  cl_discover_cb cb;
  void *ud;
  ignore_list ign;
  char **err;
  int depth;
  cl_vec unreadable; /* "path: reason" of what the walk could not read */
} walk;

/* Note a file or directory the walk cannot read, unless it is gone. */
static void note_unreadable(walk *w, const char *path, int err) {
  if (err == ENOENT || err == ENOTDIR) return; /* vanished since readdir */
  cl_vec_push(&w->unreadable, cl_xasprintf("%s: %s", path, strerror(err)));
}

/* dir + "/" + name, without printf (three of these per entry of a walk);
 * no slash doubled after the root "/". */
static char *join(const char *dir, const char *name) {
  size_t dl = strlen(dir), nl = strlen(name);
  bool slash = !(dl == 1 && dir[0] == '/');
  char *p = cl_xmalloc(dl + slash + nl + 1);
  memcpy(p, dir, dl);
  if (slash) p[dl] = '/';
  memcpy(p + dl + slash, name, nl + 1);
  return p;
}

/* realdir: dir's canonical path (NULL: unknown) */
static int walk_dir(walk *w, const char *dir, const char *rel, const char *realdir) {
  if (w->depth > 256) return 0;
  size_t mark = w->ign.n;
  char *relcopy = cl_xstrdup(rel);
  load_gitignore(&w->ign, dir, relcopy);
  DIR *d = opendir(dir);
  if (!d) {
    int e = errno;
    free(relcopy);
    if (w->depth == 0) { /* the directory named by the caller */
      *w->err = cl_xasprintf("%s: %s", dir, strerror(e));
      return CONDLINT_EIO;
    }
    note_unreadable(w, dir, e);
    return 0;
  }
  cl_vec names = {0};
  struct dirent *de;
  while ((de = readdir(d))) {
    if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
    cl_vec_push(&names, cl_xstrdup(de->d_name));
  }
  if (names.n > 1) qsort(names.v, names.n, sizeof(char *), cmp_str);
  int rc = 0, fd = dirfd(d); /* entries are looked up from the directory, not by walking path again */
  for (size_t i = 0; i < names.n && rc == 0; i++) {
    const char *name = names.v[i];
    char *path = join(dir, name);
    char *r = *rel ? join(rel, name) : cl_xstrdup(name);
    char *real = realdir ? join(realdir, name) : NULL;
    struct stat st;
    if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      note_unreadable(w, path, errno); /* a directory readable but not searchable */
    } else {
      bool is_dir = S_ISDIR(st.st_mode);
      bool skip = false;
      if (is_dir)
        for (const char *const *sd = SKIP_DIRS; *sd; sd++)
          if (!strcmp(name, *sd)) skip = true;
      if (!skip && !ignored(&w->ign, r, name, is_dir)) {
        if (is_dir) {
          w->depth++;
          rc = walk_dir(w, path, r, real);
          w->depth--;
        } else if ((S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) &&
                   (has_py_suffix(name) || cl_cxx_is_source(name))) {
          bool link = S_ISLNK(st.st_mode);
          if (link && (stat(path, &st) != 0 || !S_ISREG(st.st_mode))) {
            /* dangling link or link to a directory: nothing to read */
          } else if (faccessat(fd, name, R_OK, 0) != 0) {
            note_unreadable(w, path, errno);
          } else {
            rc = w->cb(w->ud, path, link ? NULL : real, &st, false);
          }
        }
      }
    }
    free(path);
    free(r);
    free(real);
  }
  closedir(d);
  for (size_t i = 0; i < names.n; i++) free(names.v[i]);
  cl_vec_free(&names);
  for (size_t i = mark; i < w->ign.n; i++) free(w->ign.v[i].pat);
  w->ign.n = mark;
  free(relcopy);
  return rc;
}

int cl_discover(const char *path, cl_discover_cb cb, void *ud, char **err) {
  struct stat st;
  if (stat(path, &st) != 0) {
    *err = cl_xasprintf("%s: %s", path, strerror(errno));
    return CONDLINT_EIO;
  }
  if (!S_ISDIR(st.st_mode)) return cb(ud, path, NULL, NULL, true);
  walk w = {cb, ud, {0}, err, 0, {0}};
  /* trim trailing slashes so that joined paths read well */
  char *root = cl_xstrdup(path);
  size_t l = strlen(root);
  while (l > 1 && root[l - 1] == '/') root[--l] = 0;
  char *realroot = realpath(root, NULL);
  int rc = walk_dir(&w, root, "", realroot);
  free(realroot);
  free(root);
  free(w.ign.v);
  if (rc == 0 && w.unreadable.n) {
    /* one line each, 20 at most */
    size_t n = w.unreadable.n, shown = n > 20 ? 20 : n, cap = 64;
    for (size_t i = 0; i < shown; i++) cap += strlen(w.unreadable.v[i]) + 16;
    char *msg = cl_xmalloc(cap);
    size_t o = 0;
    for (size_t i = 0; i < shown; i++)
      o += (size_t)snprintf(msg + o, cap - o, "%s%s", i ? "\n" : "", (const char *)w.unreadable.v[i]);
    if (n > shown) snprintf(msg + o, cap - o, "\nand %zu more that cannot be read", n - shown);
    *err = msg;
    rc = CONDLINT_EIO;
  }
  for (size_t i = 0; i < w.unreadable.n; i++) free(w.unreadable.v[i]);
  cl_vec_free(&w.unreadable);
  return rc;
}
