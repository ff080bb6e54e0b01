#!/usr/bin/env bash
# Configuration files: [tool.condlint] in pyproject.toml, condlint.toml and
# .condlint.toml (top-level keys); for each file the closest one walking up
# wins; --config and --isolated; `condlint config PATH`; exclude,
# extend-exclude and --force-exclude in discovery; output-format; and every
# kind of bad configuration is exit 2 with "path:line:col: message".
. "$(dirname "$0")/lib.sh"
cd "$TMP"

meta() { printf 'import torch\n\n\ndef f(x):\n    return torch.cond(x.dim() == 3, torch.sin, torch.cos, (x,))\n' >"$1"; }
codes() { cl check --output-format json "$@"; printf '%s' "$out" | perl -MJSON::PP -0777 -ne 'print join " ", map { "$_->{path}:$_->{code}" } @{decode_json($_)}'; }

mkdir -p proj/pkg/sub proj/other
cd proj
meta pkg/a.py
meta pkg/sub/b.py
meta other/c.py
printf 'import torch\n\nx = = torch.cond\n' >pkg/sub/syntax.py

is "$(codes .)" "other/c.py:CL102 pkg/a.py:CL102 pkg/sub/b.py:CL102 pkg/sub/syntax.py:CL901" "no configuration: every rule"

# ---- finding the configuration -------------------------------------------------
printf '[project]\nname = "demo"\n\n[tool.condlint]\nignore = ["CL102"]\n' >pyproject.toml
is "$(codes .)" "pkg/sub/syntax.py:CL901" "[tool.condlint] in pyproject.toml applies below it"
printf 'ignore = ["CL901"]\n' >pkg/sub/condlint.toml
is "$(codes .)" "pkg/sub/b.py:CL102" "the closest configuration wins: pkg/sub/condlint.toml (top-level keys) for pkg/sub"
is "$(codes pkg/sub/b.py other/c.py)" "pkg/sub/b.py:CL102" "... for files named explicitly too, each its own"
(cd pkg/sub && "$CONDLINT" check --output-format json . ../a.py >"$TMP/.o")
is "$(json_paths <"$TMP/.o" | tr '\n' ' ')" "b.py " "... whatever the working directory"
printf '[tool.black]\nline-length = 100\n' >pkg/pyproject.toml
is "$(codes pkg/a.py pkg/sub)" "pkg/sub/b.py:CL102" "a pyproject.toml without [tool.condlint] is passed over"
printf '[tool.black]\nline-length = 100\n[tool.condlint]\nselect = ["CL9"]\n' >pkg/pyproject.toml
is "$(codes pkg/a.py)" "" "a pyproject.toml with [tool.condlint] governs its directory"
printf 'select = ["CL102"]\n' >pkg/condlint.toml
is "$(codes pkg/a.py)" "pkg/a.py:CL102" "condlint.toml wins over pyproject.toml in the same directory"
printf 'select = ["CL901"]\n' >pkg/.condlint.toml
is "$(codes pkg/a.py)" "" ".condlint.toml wins over condlint.toml"
rm pkg/.condlint.toml pkg/condlint.toml pkg/pyproject.toml

cl config pkg/sub/b.py
is "$rc" 0 "condlint config PATH exits 0"
like "$out" $'^# condlint settings for pkg/sub/b\\.py\nconfig-file = "pkg/sub/condlint\\.toml"\n' "config: names the configuration file used"
like "$out" $'\nignore = \\["CL901"\\]\n' "config: shows each setting"
like "$out" $'\nselect = \\["ALL"\\]  # default\n' "config: ... and the defaults"
for key in select extend-select ignore per-file-ignores severity exclude extend-exclude force-exclude output-format; do
  like "$out" $'\n'"$key = " "config: shows '$key'"
done
like "$out" $'\nrules = \\["CL101", "CL102",' "config: lists the rules selected there"
unlike "$out" '"CL901"\]?,? ?"?CL902|rules = .*"CL901"' "config: ... without the ignored ones"
is "$(printf '%s' "$out" | /usr/bin/python3 -c 'import sys, tomllib; d = tomllib.loads(sys.stdin.read()); print(d["config-file"], d["ignore"], len(d["rules"]) > 0)' 2>&1)" \
  "pkg/sub/condlint.toml ['CL901'] True" "config: the output is TOML (Python's tomllib reads it)"
cl config
like "$out" $'config-file = "pyproject\\.toml"' "config without PATH describes '.'"
cl config --select CL1 pkg
like "$out" $'\nselect = \\["CL1"\\]  # from the command line\n' "config: command-line selection is shown"
cl config --isolated pkg
like "$out" 'config-file = ""  # --isolated' "config --isolated: no file"
cl config no/such/path
is "$rc" 2 "config: a missing path exits 2"
like "$err" 'no/such/path' "... naming it"

# ---- --config and --isolated -------------------------------------------------
printf 'select = ["CL901"]\n' >"$TMP/elsewhere.toml"
is "$(codes --config "$TMP/elsewhere.toml" .)" "pkg/sub/syntax.py:CL901" "--config FILE is used for every file"
is "$(codes --config="$TMP/elsewhere.toml" pkg/sub/b.py)" "" "--config=FILE too"
printf '[tool.condlint]\nselect = ["CL102"]\n' >"$TMP/pyproject.toml"
is "$(codes --config "$TMP/pyproject.toml" pkg/sub)" "pkg/sub/b.py:CL102" "--config of a pyproject.toml reads its [tool.condlint]"
rm "$TMP/pyproject.toml"
is "$(codes --isolated .)" "other/c.py:CL102 pkg/a.py:CL102 pkg/sub/b.py:CL102 pkg/sub/syntax.py:CL901" "--isolated reads no file"
cl check --config "$TMP/elsewhere.toml" --isolated .
is "$rc" 2 "--config with --isolated is a usage error"
cl check --config missing.toml .
is "$rc:$out" "2:" "--config of a missing file exits 2"
like "$err" 'missing\.toml: No such file or directory' "... naming it"

# ---- exclude ---------------------------------------------------------------------
mkdir -p gen build/lib
meta gen/g.py
meta build/lib/x.py
meta pkg/gen_ops.py
printf '[tool.condlint]\nextend-exclude = ["gen_*.py", "build/", "pkg/sub"]\nexclude = ["other"]\n' >pyproject.toml
rm pkg/sub/condlint.toml
is "$(codes .)" "gen/g.py:CL102 pkg/a.py:CL102" "exclude and extend-exclude skip files and directories found by the walk"
is "$(codes pkg/gen_ops.py other/c.py pkg/sub/b.py)" "other/c.py:CL102 pkg/gen_ops.py:CL102 pkg/sub/b.py:CL102" \
  "files named explicitly are checked anyway (pre-commit names files)"
is "$(codes --force-exclude pkg/gen_ops.py other/c.py pkg/sub/b.py pkg/a.py)" "pkg/a.py:CL102" \
  "--force-exclude excludes them too"
is "$(codes other)" "other/c.py:CL102" "a directory named explicitly is walked even when excluded"
is "$(codes --force-exclude other)" "" "... but not with --force-exclude"
printf '[tool.condlint]\nextend-exclude = ["gen_*.py"]\nforce-exclude = true\n' >pyproject.toml
is "$(codes pkg/gen_ops.py pkg/a.py)" "pkg/a.py:CL102" "force-exclude = true in the configuration"
(cd pkg && "$CONDLINT" check --output-format json gen_ops.py a.py >"$TMP/.o")
is "$(json_paths <"$TMP/.o" | tr '\n' ' ')" "a.py " "exclude globs are relative to the configuration's directory"
printf '[tool.condlint]\nextend-exclude = ["pkg/*.py"]\n' >pyproject.toml
is "$(codes pkg)" "pkg/sub/b.py:CL102 pkg/sub/syntax.py:CL901" "a glob with '/' is anchored at the configuration's directory ('*' stays in one directory)"
cl config pkg/a.py
like "$out" $'\nexcluded = true' "config PATH says whether the walk would skip the file"

# ---- output-format ---------------------------------------------------------------
printf '[tool.condlint]\noutput-format = "concise"\n' >pyproject.toml
cl check pkg/a.py
is "$out" "pkg/a.py:5:12: CL102 this torch.cond always folds: its predicate reads only static metadata (rank, dtype, device, literals or constants), a plain Python value in every tracing context" \
  "output-format from the configuration"
cl check --output-format json pkg/a.py
like "$out" '^\[' "--output-format wins over the configuration"

# ---- TOML that is valid ----------------------------------------------------------
tomlok() {
  printf '%b' "$1" >pyproject.toml
  codes pkg/a.py pkg/sub/syntax.py
}
is "$(tomlok 'tool.condlint.select = ["CL901"]\n')" "pkg/sub/syntax.py:CL901" "TOML: a dotted key at the top level"
is "$(tomlok '[tool]\ncondlint = { select = [\x27CL901\x27] }\n')" "pkg/sub/syntax.py:CL901" "TOML: an inline table and a literal string"
is "$(tomlok '[tool.condlint]\nselect = [\n  "CL9",  # the tool\n  "CL10",\n]\nignore = ["\\u0043L102"]\n')" \
  "pkg/sub/syntax.py:CL901" "TOML: a multi-line array with comments and a trailing comma, \\u escapes"
is "$(tomlok '[tool.condlint.per-file-ignores]\n"pkg/*.py" = ["CL102"]\n"syntax.py" = ["CL9"]\n')" "" \
  "TOML: [tool.condlint.per-file-ignores] as a table of quoted keys"
is "$(tomlok '[tool.condlint]\nseverity.CL102 = "info"\n[[tool.other]]\nx = 1\n[[tool.other]]\nx = 2\n')" "pkg/a.py:CL102 pkg/sub/syntax.py:CL901" \
  "TOML: dotted keys inside a table; arrays of tables elsewhere"

# ---- bad configurations ------------------------------------------------------------
bad() {
  printf '%b' "$1" >pyproject.toml
  cl check pkg/a.py
  is "$rc" 2 "bad config exits 2: $3"
  is "$err" "$2" "... with path:line:col: message"
  is "$out" "" "... and no report"
}
bad '[tool.condlint]\nselct = ["CL1"]\n' "pyproject.toml:2:1: unknown key 'selct' (known keys: select, extend-select, ignore, per-file-ignores, severity, exclude, extend-exclude, force-exclude, output-format, contracts)" "an unknown key"
bad '[tool.condlint]\nselect = "CL1"\n' "pyproject.toml:2:10: 'select' must be an array of strings, not a string" "a string for an array"
bad '[tool.condlint]\nignore = ["CL1", 3]\n' "pyproject.toml:2:18: 'ignore' must be an array of strings, not hold an integer" "an integer in an array"
bad '[tool.condlint]\nextend-select = ["CL101", "CL999"]\n' "pyproject.toml:2:27: unknown rule code 'CL999' in 'extend-select' (a code such as CL101, a prefix such as CL1, or ALL)" "an unknown rule code"
bad '[tool.condlint.per-file-ignores]\n"t/*.py" = ["XX1"]\n' "pyproject.toml:2:13: unknown rule code 'XX1' in 'per-file-ignores.\"t/*.py\"' (a code such as CL101, a prefix such as CL1, or ALL)" "an unknown code in per-file-ignores"
bad '[tool.condlint.severity]\nCL103 = "fatal"\n' "pyproject.toml:2:9: the severity of 'CL103' must be \"error\", \"warning\" or \"info\", not \"fatal\"" "an unknown severity"
bad '[tool.condlint.severity]\nCL777 = "info"\n' "pyproject.toml:2:1: unknown rule code 'CL777' in 'severity' (a code such as CL101, a prefix such as CL1, or ALL)" "a severity for an unknown code"
bad '[tool.condlint]\nforce-exclude = 1\n' "pyproject.toml:2:17: 'force-exclude' must be a boolean, not an integer" "an integer for a boolean"
bad '[tool.condlint]\noutput-format = "xml"\n' "pyproject.toml:2:17: unknown output-format \"xml\" (text, concise, json, sarif, github, gitlab, junit)" "an unknown output-format"
bad '[tool.condlint]\nper-file-ignores = ["a"]\n' "pyproject.toml:2:20: 'per-file-ignores' must be a table of glob = [codes], not an array" "an array for a table"
bad '[tool]\ncondlint = 3\n' "pyproject.toml:2:12: tool.condlint must be a table, not an integer" "tool.condlint not a table"
bad '[tool.condlint]\nselect = []\nselect = ["CL1"]\n' "pyproject.toml:3:1: duplicate key 'select'" "a duplicate key"
bad '[tool.condlint]\n[tool.condlint]\n' "pyproject.toml:2:7: table [tool.condlint] is defined twice" "a table defined twice"
bad '[tool.condlint\nselect = []\n' "pyproject.toml:1:15: TOML syntax error" "an unclosed header"
bad '[tool.condlint]\nselect = ["CL1"\n' "pyproject.toml:2:1: TOML syntax error" "an unclosed array"
bad '[tool.condlint]\nselect = ["\\q"]\n' "pyproject.toml:2:11: TOML syntax error" "a bad escape"
bad '[project]\nname = = 1\n[tool.condlint]\n' "pyproject.toml:2:6: TOML syntax error" "a syntax error elsewhere in a pyproject.toml that configures condlint"

# the error is about the file that governs the checked file, relative to the working directory
printf '[tool.black]\nline-length = = 1\n' >pyproject.toml
cl check pkg/a.py
is "$rc" 1 "a broken pyproject.toml that does not mention condlint is not read (exit 1: the finding)"
printf 'ignore = [1]\n' >pkg/sub/condlint.toml
cl check pkg/sub/b.py
is "$err:$rc" "pkg/sub/condlint.toml:1:11: 'ignore' must be an array of strings, not hold an integer:2" "a nested configuration's error names its path"
cl check pkg/a.py
is "$rc" 1 "a bad configuration that governs no checked file is not an error (exit 1: the finding)"
cl check pkg
is "$rc" 2 "... but it is once the walk reaches its directory"
cl_in 'x = 1' check --stdin-filename pkg/sub/new.py -
is "$rc" 2 "stdin under --stdin-filename uses the configuration of that path"
cl config pkg/sub
is "$rc:$err" "2:pkg/sub/condlint.toml:1:11: 'ignore' must be an array of strings, not hold an integer" "condlint config reports a bad configuration too"
cl check --config pkg/sub/condlint.toml pkg/a.py
is "$rc" 2 "--config of a bad file exits 2"
like "$err" '^pkg/sub/condlint\.toml:1:11: ' "... with its position"
done_testing
