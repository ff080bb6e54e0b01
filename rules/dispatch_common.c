/* dispatch_common.c — the notes of a range-dispatch finding (CL105, CL106). */
#include "dispatch_common.h"

void cl_rule_emit_dispatch(condlint_session *s, const cl_facts *facts, const cl_site *site,
                           const char *code, const char *message) {
  const cl_outcome *fold = NULL;
  for (size_t k = 0; k < site->nouts; k++)
    if (site->outs[k].pred == PRED_CONST && !fold) fold = &site->outs[k];
  condlint_diag *d = cl_emit(s, code, site->file, site->callee, message,
                             fold ? cl_origin_fix(fold->why) : NULL);
  char *m = cl_xasprintf("%s is registered for range-based autotuning on %s here", site->op,
                         site->dispatch);
  cl_diag_add_related(s, d, site->reg_file, site->reg_span, m);
  free(m);
  for (size_t k = 0; k < site->nouts; k++) {
    const cl_outcome *o = &site->outs[k];
    const cl_context *c = facts->contexts.v[o->context];
    m = cl_xasprintf("%s under %s", o->pred == PRED_CONST ? "dispatch lost" : "dispatch possible",
                     c->desc);
    cl_diag_add_related(s, d, c->file, c->span, m);
    free(m);
  }
  if (fold) {
    cl_facts_emit_chain(s, d, fold->why);
    cl_fix_attach(s, d, fold->why);
  }
}
