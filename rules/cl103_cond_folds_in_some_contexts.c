/*
 * CL103 cond-folds-in-some-contexts
 *
 * ## What it does
 * Flags a `torch.cond` that is reached by several tracing contexts and folds
 * in some of them while it is kept in others: for instance a helper traced by
 * `make_fx(f, tracing_mode="symbolic")` in one place and by plain `make_fx(f)`
 * in another, or a compiled function whose first compile is static and whose
 * recompile is dynamic. The message names the contexts on each side.
 *
 * ## Why it matters
 * The artifacts built in the folding contexts lost the dispatch, while the
 * others kept it; which one ships depends on which entry point built it.
 *
 * ## Example
 * ```python
 * def f(x):
 *     return torch.cond(x.shape[0] > 16, big, small, (x,))
 *
 * make_fx(f, tracing_mode="symbolic")(x)  # kept
 * make_fx(f)(x)                           # folds
 * ```
 *
 * ## Use instead
 * Apply the fix in the notes to each folding context, so that every entry
 * point traces the size symbolically.
 */
#include <string.h>

#include "rule.h"

static void append(char **buf, size_t *len, size_t *cap, const char *s) {
  size_t l = strlen(s);
  if (*len + l + 3 > *cap) {
    *cap = (*len + l + 3) * 2;
    *buf = cl_xrealloc(*buf, *cap);
  }
  if (*len) memcpy(*buf + *len, ", ", 2), *len += 2;
  memcpy(*buf + *len, s, l);
  *len += l;
  (*buf)[*len] = 0;
}

void cl_rule_CL103(condlint_session *s, const cl_facts *facts) {
  for (size_t i = 0; i < facts->sites.n; i++) {
    const cl_site *site = facts->sites.v[i];
    if (cl_site_classify(facts, site) != SITE_FOLDS_SOME) continue;
    char *folds = NULL, *kept = NULL;
    size_t fl = 0, fc = 0, kl = 0, kc = 0;
    const cl_outcome *first_fold = NULL;
    for (size_t k = 0; k < site->nouts; k++) {
      const cl_outcome *o = &site->outs[k];
      const cl_context *c = facts->contexts.v[o->context];
      if (o->pred == PRED_CONST && !o->mixed) {
        append(&folds, &fl, &fc, c->desc);
        if (!first_fold) first_fold = o;
      } else if (o->pred == PRED_SYM || o->pred == PRED_TENSOR || o->mixed) {
        append(&kept, &kl, &kc, c->desc);
        if (o->mixed && !first_fold) first_fold = o;
      }
    }
    char *msg = cl_xasprintf("this torch.cond folds under %s but is kept under %s",
                             folds ? folds : "some evaluations", kept ? kept : "others");
    condlint_diag *d = cl_emit(s, "CL103", site->file, site->callee, msg,
                               first_fold ? cl_origin_fix(first_fold->why) : NULL);
    free(msg);
    free(folds);
    free(kept);
    for (size_t k = 0; k < site->nouts; k++) {
      const cl_outcome *o = &site->outs[k];
      const cl_context *c = facts->contexts.v[o->context];
      char *m = cl_xasprintf("%s here: %s", o->pred == PRED_CONST && !o->mixed ? "folds" : "kept",
                             c->desc);
      cl_diag_add_related(s, d, c->file, c->span, m);
      free(m);
    }
    if (first_fold) {
      cl_facts_emit_chain(s, d, first_fold->why);
      cl_fix_attach(s, d, first_fold->why);
    }
  }
}
