#!/usr/bin/env bash
# Inline suppressions: `# condlint: ignore[CODE]`, `# condlint: ignore`,
# `# noqa: CODE`, `# condlint: skip-file`; CL902 for a suppression that hides
# nothing, but not for one whose codes are not selected for the file.
. "$(dirname "$0")/lib.sh"
cd "$TMP"

# write FILE with a CL102 cond on line 5 whose line ends with $2
cond() {
  printf 'import torch\n\n\ndef f(x):\n    return torch.cond(x.dim() == 3, torch.sin, torch.cos, (x,))%s\n' "$2" >"$1"
}
pairs() { cl check --output-format json "$@"; printf '%s' "$out" | json_pairs | tr '\n' ';'; }

cond plain.py ''
is "$(pairs --isolated plain.py)" "5 CL102;" "without a suppression: CL102 on line 5"

cond a.py '  # condlint: ignore[CL102]'
is "$(pairs --isolated a.py)" "" "ignore[CL102] hides CL102 on its line"
cl check --isolated a.py
is "$rc" 0 "... and the run passes"
cond b.py '  # condlint: ignore'
is "$(pairs --isolated b.py)" "" "a bare condlint: ignore hides every code"
cond c.py '  # noqa: CL102'
is "$(pairs --isolated c.py)" "" "noqa: CL102 hides CL102"
cond d.py '  # noqa'
is "$(pairs --isolated d.py)" "" "a bare noqa hides everything"
cond e.py '  # noqa: E501, CL102'
is "$(pairs --isolated e.py)" "" "noqa with other tools' codes and CL102"
cond f.py '  # type: ignore  # noqa: CL102'
is "$(pairs --isolated f.py)" "" "noqa after another comment"
cond g.py '  # condlint: ignore[CL1]'
is "$(pairs --isolated g.py)" "" "ignore[CL1] hides CL102 (prefix)"
cond h.py '  # condlint: ignore[CL101]'
is "$(pairs --isolated h.py)" "5 CL102;5 CL902;" "ignore[CL101] does not hide CL102, and is reported unused"
cond i.py '  # condlint: ignore[CL101, CL102]'
is "$(pairs --isolated i.py)" "5 CL902;" "ignore[CL101, CL102]: CL102 hidden, CL101 reported unused"
cl check --isolated --output-format json i.py
like "$out" '"message": "unused suppression: no CL101 finding on this line"' "... naming the unused code"
cond j.py '  # noqa: E501'
is "$(pairs --isolated j.py)" "5 CL102;" "a noqa for other tools only hides nothing and is not condlint's to report"

# the comment must be on the line of the finding's primary location (the callee)
printf 'import torch\n\n\ndef f(x):\n    return torch.cond(  # condlint: ignore[CL102]\n        x.dim() == 3, torch.sin, torch.cos, (x,)\n    )\n' >multi.py
is "$(pairs --isolated multi.py)" "" "a multi-line call is suppressed on the callee's line"
printf 'import torch\n\n\ndef f(x):\n    return torch.cond(\n        x.dim() == 3, torch.sin, torch.cos, (x,)  # condlint: ignore[CL102]\n    )\n' >multi2.py
is "$(pairs --isolated multi2.py)" "5 CL102;6 CL902;" "... not on another line of it"
printf 'import torch\n\n\ndef f(x):\n    s = "# condlint: ignore[CL102]"; return torch.cond(x.dim() == 3, torch.sin, torch.cos, (x,))\n' >string.py
is "$(pairs --isolated string.py)" "5 CL102;" "text inside a string is not a suppression"

# skip-file
{ printf '# condlint: skip-file\n'; cat plain.py; printf 'y = 1  # condlint: ignore[CL101]\n'; } >skip.py
is "$(pairs --isolated skip.py)" "" "skip-file hides every finding of the file, unused suppressions included"
is "$(pairs --isolated skip.py plain.py)" "5 CL102;" "... and only of that file"

# CL902: unused suppressions
printf 'x = 1  # condlint: ignore[CL102]\ny = 2  # condlint: ignore\nz = 3  # noqa\nw = 4  # noqa: CL101\n' >unused.py
is "$(pairs --isolated unused.py)" "1 CL902;2 CL902;4 CL902;" "unused ignore[CODE], bare ignore and noqa: CODE are reported; a bare noqa is not"
cl check --isolated unused.py
is "$rc" 1 "unused suppressions fail the run (CL902 is a warning)"
like "$out" 'unused\.py:1:8: warning: unused suppression: no CL102 finding on this line \[CL902\]' "CL902 points at the comment"
like "$out" 'unused\.py:2:8: warning: unused suppression: it hides no finding \[CL902\]' "a bare ignore that hides nothing"
printf 'x = 1  # condlint: ignore[CL999]\n' >unknown.py
cl check --isolated --output-format concise unknown.py
is "$out" "unknown.py:1:8: CL902 unused suppression: CL999 is not a condlint rule" "a code that is no rule is reported as such"
cl check --isolated --ignore CL101 --output-format concise unknown.py
is "$out" "unknown.py:1:8: CL902 unused suppression: CL999 is not a condlint rule" "... whatever the selection"

# ... but not for codes that are not selected for the file
is "$(pairs --isolated --ignore CL101 h.py)" "5 CL102;" "ignore[CL101] is not unused when CL101 is not selected (--ignore)"
is "$(pairs --isolated --select CL9 a.py)" "" "ignore[CL102] is not unused under --select CL9"
is "$(pairs --isolated --select CL9 unused.py)" "2 CL902;" \
  "under --select CL9 only the bare ignore is reported: ignore[CL102] and noqa: CL101 name rules that are off"
printf '[tool.condlint]\nignore = ["CL101"]\n' >pyproject.toml
is "$(pairs h.py)" "5 CL102;" "a configured ignore counts as not selected"
printf '[tool.condlint.per-file-ignores]\n"h.py" = ["CL101"]\n' >pyproject.toml
is "$(pairs h.py i.py)" "5 CL102;5 CL902;" "per-file-ignores count per file: h.py quiet, i.py still reported"
rm pyproject.toml
is "$(pairs --isolated --select CL1 h.py)" "5 CL102;" "CL902 itself can be deselected"
is "$(pairs --isolated --ignore CL902 unused.py)" "" "... or ignored"
done_testing
