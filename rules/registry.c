/* registry.c — the rule table built from rules.def, the public catalog API,
 * and the driver that runs every rule over the analysis facts. */
#include <string.h>

#include "facts.h"
#include "rule.h"

struct condlint_rule {
  const char *code, *name, *summary;
  condlint_severity severity;
  void (*check)(condlint_session *s, const cl_facts *facts);
};

#define INFO CONDLINT_SEVERITY_INFO
#define WARNING CONDLINT_SEVERITY_WARNING
#define ERROR CONDLINT_SEVERITY_ERROR
static const condlint_rule RULES[] = {
#define RULE(code, name, sev, summary) {#code, name, summary, sev, cl_rule_##code},
#include "rules.def"
#undef RULE
};
#undef INFO
#undef WARNING
#undef ERROR

#define NRULES (sizeof RULES / sizeof RULES[0])

const char *cl_rule_doc_text(const char *code);

size_t condlint_rule_count(void) { return NRULES; }
const condlint_rule *condlint_rule_at(size_t i) { return i < NRULES ? &RULES[i] : NULL; }
const condlint_rule *condlint_rule_find(const char *code) {
  for (size_t i = 0; i < NRULES; i++)
    if (!strcmp(RULES[i].code, code) || !strcmp(RULES[i].name, code)) return &RULES[i];
  return NULL;
}
const char *condlint_rule_code(const condlint_rule *r) { return r->code; }
const char *condlint_rule_name(const condlint_rule *r) { return r->name; }
condlint_severity condlint_rule_severity(const condlint_rule *r) { return r->severity; }
const char *condlint_rule_summary(const condlint_rule *r) { return r->summary; }
const char *condlint_rule_doc(const condlint_rule *r) {
  const char *d = cl_rule_doc_text(r->code);
  return d ? d : r->summary;
}

const condlint_rule *cl_rule_lookup(const char *code, const char **name, condlint_severity *sev);
const condlint_rule *cl_rule_lookup(const char *code, const char **name, condlint_severity *sev) {
  for (size_t i = 0; i < NRULES; i++)
    if (!strcmp(RULES[i].code, code)) {
      *name = RULES[i].name;
      *sev = RULES[i].severity;
      return &RULES[i];
    }
  return NULL;
}

void cl_rules_run(condlint_session *s) {
  if (!s->facts) return;
  for (size_t i = 0; i < NRULES; i++) RULES[i].check(s, s->facts);
}

void cl_rule_emit_events(condlint_session *s, const cl_facts *facts, const char *code) {
  for (size_t i = 0; i < facts->events.n; i++) {
    const cl_event *e = facts->events.v[i];
    if (strcmp(e->code, code)) continue;
    condlint_diag *d = cl_emit(s, code, e->file, e->span, e->message, e->fix);
    if (e->rel_file) cl_diag_add_related(s, d, e->rel_file, e->rel_span, e->rel_message);
  }
}

