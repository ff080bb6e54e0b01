/* rule.h — what every rule file declares and may use. */
#ifndef CONDLINT_RULE_H
#define CONDLINT_RULE_H
#include <stdlib.h>

#include "facts.h"

#define RULE(code, name, sev, summary) \
  void cl_rule_##code(condlint_session *s, const cl_facts *facts);
#include "rules.def"
#undef RULE

/* Emit the interpreter's recorded events of one code (CL2xx rules). */
void cl_rule_emit_events(condlint_session *s, const cl_facts *facts, const char *code);

#endif
