/* report_sarif.c — SARIF 2.1.0 (GitHub code scanning, IDE viewers): one run
 * whose driver lists every rule of the catalog (id, name, descriptions from
 * the rule docs, helpUri, default level), and one result per finding with its
 * primary location, the chain of reasons as relatedLocations, and the
 * finding's fingerprint as partialFingerprints["condlint/v1"]. Columns count
 * Unicode code points (run.columnKind), as condlint's columns do. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static const char *level(condlint_severity s) {
  return s == CONDLINT_SEVERITY_ERROR ? "error" : s == CONDLINT_SEVERITY_WARNING ? "warning" : "note";
}

/* A string value, cleaned to valid UTF-8. */
static json_t *str(const char *s) {
  char *c = cl_utf8_clean(s ? s : "");
  json_t *j = json_string(c);
  free(c);
  return j;
}

static json_t *message(const char *text) {
  json_t *m = json_object();
  json_object_set_new(m, "text", str(text));
  return m;
}

static json_t *physical(const condlint_location *l) {
  json_t *art = json_object();
  char *uri = cl_path_uri(l->path);
  json_object_set_new(art, "uri", str(uri));
  free(uri);
  json_t *region = json_object();
  json_object_set_new(region, "startLine", json_integer(l->line));
  json_object_set_new(region, "startColumn", json_integer(l->column));
  if (l->end_line >= l->line && l->end_line) {
    json_object_set_new(region, "endLine", json_integer(l->end_line));
    if (l->end_column) json_object_set_new(region, "endColumn", json_integer(l->end_column));
  }
  json_t *p = json_object();
  json_object_set_new(p, "artifactLocation", art);
  json_object_set_new(p, "region", region);
  return p;
}

static int rule_index(const char *code) {
  for (size_t i = 0; i < condlint_rule_count(); i++)
    if (!strcmp(condlint_rule_code(condlint_rule_at(i)), code)) return (int)i;
  return -1;
}

int cl_report_sarif(const condlint_session *s, FILE *out) {
  json_t *rules = json_array();
  for (size_t i = 0; i < condlint_rule_count(); i++) {
    const condlint_rule *r = condlint_rule_at(i);
    json_t *o = json_object();
    json_object_set_new(o, "id", str(condlint_rule_code(r)));
    json_object_set_new(o, "name", str(condlint_rule_name(r)));
    json_object_set_new(o, "shortDescription", message(condlint_rule_summary(r)));
    json_object_set_new(o, "fullDescription", message(condlint_rule_doc(r)));
    json_t *help = message(condlint_rule_doc(r));
    json_object_set_new(help, "markdown", str(condlint_rule_doc(r)));
    json_object_set_new(o, "help", help);
    char *uri = cl_xasprintf("%s%s", CONDLINT_RULE_DOCS_URL, condlint_rule_code(r));
    json_object_set_new(o, "helpUri", str(uri));
    free(uri);
    json_t *cfg = json_object();
    json_object_set_new(cfg, "level", json_string(level(condlint_rule_severity(r))));
    json_object_set_new(o, "defaultConfiguration", cfg);
    json_array_append_new(rules, o);
  }

  json_t *results = json_array();
  for (size_t i = 0; i < s->diags.n; i++) {
    const condlint_diag *d = s->diags.v[i];
    json_t *res = json_object();
    json_object_set_new(res, "ruleId", str(d->code));
    int ri = rule_index(d->code);
    if (ri >= 0) json_object_set_new(res, "ruleIndex", json_integer(ri));
    json_object_set_new(res, "level", json_string(level(d->severity)));
    json_object_set_new(res, "message", message(d->message));
    json_t *locs = json_array();
    if (d->primary.path && *d->primary.path && d->primary.line) {
      json_t *loc = json_object();
      json_object_set_new(loc, "physicalLocation", physical(&d->primary));
      json_array_append_new(locs, loc);
    }
    json_object_set_new(res, "locations", locs);
    json_t *rel = json_array();
    for (size_t k = 0; k < d->nrelated; k++) {
      const condlint_location *r = &d->rel[k];
      if (!r->path || !*r->path || !r->line) continue;
      json_t *loc = json_object();
      json_object_set_new(loc, "id", json_integer((json_int_t)k + 1));
      json_object_set_new(loc, "physicalLocation", physical(r));
      json_object_set_new(loc, "message", message(r->message));
      json_array_append_new(rel, loc);
    }
    json_object_set_new(res, "relatedLocations", rel);
    json_t *fps = json_object();
    json_object_set_new(fps, "condlint/v1", json_string(d->fingerprint));
    json_object_set_new(res, "partialFingerprints", fps);
    if (d->fix) {
      json_t *props = json_object();
      json_object_set_new(props, "fix", str(d->fix));
      const char *app = d->applicability == CONDLINT_FIX_SAFE     ? "safe"
                        : d->applicability == CONDLINT_FIX_UNSAFE ? "unsafe"
                                                                  : "display-only";
      json_object_set_new(props, "fixApplicability", json_string(app));
      json_object_set_new(res, "properties", props);
    }
    if (d->nedits && d->edit_pos[0].path && *d->edit_pos[0].path) {
      /* SARIF fixes: one artifactChange with a replacement per edit */
      json_t *reps = json_array();
      for (size_t k = 0; k < d->nedits; k++) {
        const condlint_edit *e = &d->edit_pos[k];
        json_t *region = json_object();
        json_object_set_new(region, "startLine", json_integer(e->line));
        json_object_set_new(region, "startColumn", json_integer(e->column));
        json_object_set_new(region, "endLine", json_integer(e->end_line));
        json_object_set_new(region, "endColumn", json_integer(e->end_column));
        json_t *ins = json_object();
        json_object_set_new(ins, "text", str(e->content));
        json_t *rep = json_object();
        json_object_set_new(rep, "deletedRegion", region);
        json_object_set_new(rep, "insertedContent", ins);
        json_array_append_new(reps, rep);
      }
      json_t *art = json_object();
      char *uri = cl_path_uri(d->edit_pos[0].path);
      json_object_set_new(art, "uri", str(uri));
      free(uri);
      json_t *change = json_object();
      json_object_set_new(change, "artifactLocation", art);
      json_object_set_new(change, "replacements", reps);
      json_t *changes = json_array();
      json_array_append_new(changes, change);
      json_t *fix = json_object();
      json_object_set_new(fix, "description", message(d->fix));
      json_object_set_new(fix, "artifactChanges", changes);
      json_t *fixes = json_array();
      json_array_append_new(fixes, fix);
      json_object_set_new(res, "fixes", fixes);
    }
    json_array_append_new(results, res);
  }

  json_t *driver = json_object();
  json_object_set_new(driver, "name", json_string("condlint"));
  json_object_set_new(driver, "version", json_string(condlint_version()));
  json_object_set_new(driver, "semanticVersion", json_string(condlint_version()));
  json_object_set_new(driver, "informationUri", json_string("https://condlint.dev"));
  json_object_set_new(driver, "rules", rules);
  json_t *tool = json_object();
  json_object_set_new(tool, "driver", driver);
  json_t *inv = json_object();
  json_object_set_new(inv, "executionSuccessful", json_true());
  json_t *invs = json_array();
  json_array_append_new(invs, inv);
  json_t *run = json_object();
  json_object_set_new(run, "tool", tool);
  json_object_set_new(run, "invocations", invs);
  json_object_set_new(run, "columnKind", json_string("unicodeCodePoints"));
  json_object_set_new(run, "results", results);
  json_t *runs = json_array();
  json_array_append_new(runs, run);
  json_t *root = json_object();
  json_object_set_new(root, "$schema",
                      json_string("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/"
                                  "schemas/sarif-schema-2.1.0.json"));
  json_object_set_new(root, "version", json_string("2.1.0"));
  json_object_set_new(root, "runs", runs);
  int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER);
  fputc('\n', out);
  json_decref(root);
  return rc ? CONDLINT_EIO : 0;
}
