#!/usr/bin/env bash
# --output-format json: one JSON array whose elements have exactly the fields
# of DESIGN.md's output contract, with the right types; related locations
# and fix have their own fixed shapes.
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1

# Print one line per contract violation of the report on stdin.
validate() {
  perl -MJSON::PP -e '
    use strict; use warnings;
    local $/; my $src = <STDIN>;
    my $d = eval { decode_json($src) };
    if (!defined $d) { print "not valid JSON: $@"; exit }
    if (ref $d ne "ARRAY") { print "not an array\n"; exit }
    my @top = sort qw(code name severity message path line column end_line end_column related fix);
    my @rel = sort qw(path line column end_line end_column message);
    my $int = sub { defined $_[0] && !ref $_[0] && $_[0] =~ /^[1-9][0-9]*$/ };
    my $str = sub { defined $_[0] && !ref $_[0] && length $_[0] };
    for my $i (0 .. $#$d) {
      my $f = $d->[$i];
      my $keys = join " ", sort keys %$f;
      print "finding $i: fields are [$keys]\n" if $keys ne "@top";
      print "finding $i: bad code\n" unless ($f->{code} // "") =~ /^CL[0-9]{3}$/;
      print "finding $i: bad name\n" unless ($f->{name} // "") =~ /^[a-z0-9]+(-[a-z0-9]+)*$/;
      print "finding $i: bad severity\n" unless ($f->{severity} // "") =~ /^(error|warning|info)$/;
      $str->($f->{$_}) or print "finding $i: $_ is not a non-empty string\n" for qw(message path);
      $int->($f->{$_}) or print "finding $i: $_ is not a positive integer\n" for qw(line column end_line end_column);
      print "finding $i: end before start\n"
        if ($f->{end_line} // 0) < ($f->{line} // 0)
        || (($f->{end_line} // 0) == ($f->{line} // 0) && ($f->{end_column} // 0) < ($f->{column} // 0));
      if (ref $f->{related} ne "ARRAY") { print "finding $i: related is not an array\n" }
      else {
        for my $r (@{$f->{related}}) {
          my $rk = join " ", sort keys %$r;
          print "finding $i: related fields are [$rk]\n" if $rk ne "@rel";
          $int->($r->{$_}) or print "finding $i: related $_ is not a positive integer\n" for qw(line column end_line end_column);
          $str->($r->{$_}) or print "finding $i: related $_ is not a non-empty string\n" for qw(path message);
        }
      }
      if (defined $f->{fix}) {
        my $fx = $f->{fix};
        if (ref $fx ne "HASH") { print "finding $i: fix is neither null nor an object\n" }
        else {
          my $fk = join " ", sort keys %$fx;
          print "finding $i: fix fields are [$fk]\n" if $fk ne "applicability edits message";
          print "finding $i: fix.edits is not an array\n" if ref $fx->{edits} ne "ARRAY";
          print "finding $i: fix.message is not a string\n" unless $str->($fx->{message});
        }
      }
    }'
}

printf 'import torch\n\nx = = torch.cond\n' >syntax.py
printf 'x = 1  # condlint: ignore[CL101]\n' >unused.py
printf 'import torch\n# caf\xe9 torch.cond\n' >latin1.py
printf 'import torch\n\n\ndef f(x):\n    return torch.cond(x.dim() == 3, torch.sin, torch.cos, (x,))\n' >meta.py

cl check --output-format json syntax.py unused.py latin1.py
is "$rc" 1 "json: exit status 1 with a warning among the findings"
is "$(printf '%s' "$out" | validate)" "" "json: the report follows the output contract"
is "$(printf '%s' "$out" | json_pairs | tr '\n' ';')" "1 CL902;2 CL903;3 CL901;" "json: the three findings, one per file"
is "$(printf '%s' "$out" | perl -MJSON::PP -0777 -ne 'print join ",", map { "$_->{path}:$_->{line}:$_->{column}-$_->{end_line}:$_->{end_column}:$_->{severity}" } @{decode_json($_)}')" \
  "latin1.py:2:6-2:7:info,syntax.py:3:5-3:6:info,unused.py:1:8-1:33:warning" \
  "json: sorted by path, with 1-based lines and character columns"
like "$out" '"fix": null' "json: a finding without a fix has fix null"

cl check --output-format json meta.py
is "$(printf '%s' "$out" | validate)" "" "json: a CL102 report follows the output contract"
is "$(printf '%s' "$out" | json_pairs | tr '\n' ';')" "5 CL102;" "json: CL102 is reported on the cond line"
is "$(printf '%s' "$out" | perl -MJSON::PP -0777 -ne 'my ($f) = @{decode_json($_)}; print $f ? "$f->{column}-$f->{end_column} $f->{name} $f->{severity}" : "none"')" \
  "12-22 cond-predicate-static-metadata error" "json: CL102's location is the torch.cond callee"
is "$(printf '%s' "$out" | perl -MJSON::PP -0777 -ne 'my ($f) = @{decode_json($_)}; print $f && @{$f->{related}} ? "related" : "none"')" \
  "related" "json: CL102 carries the predicate as a related location"

printf 'x = 1\n' >plain.py
cl check --output-format json plain.py
is "$rc" 0 "json: no findings exits 0"
is "$(printf '%s' "$out" | tr -d ' \n')" "[]" "json: no findings is an empty array"
is "$err" "" "json: nothing on stderr"
done_testing
