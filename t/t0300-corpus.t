#!/usr/bin/env perl
# t0300-corpus.t — holds condlint to every label that real PyTorch gave the
# cases of t/corpus/ (labels.jsonl, written by the oracle on the PyTorch
# machine; see t/corpus/README.md). Per cond site:
#   folded     -> exactly one CL101, CL102 or CL104 on the site's line
#   preserved  -> none of them; a CL103 only when the case's graphs disagree
#                 (graph_lines/graph_cond_lines: one graph ran the site's line
#                 without a cond node, another kept it — a first compile and
#                 its recompile), which is then required
#   error      -> tracing raised, so no artifact: no CL101/CL102/CL103; a
#                 CL104 or CL2xx is counted as a true positive when the error is
#                 "Constraints violated" (a specialization or guard)
# Prints precision and recall of "folds" over the whole corpus.
use strict;
use warnings;
use JSON::PP;
use FindBin;

my $top = "$FindBin::Bin/..";
chdir $top or die;
my $bin = $ENV{CONDLINT} || "build/condlint";
my $labels = "t/corpus/labels.jsonl";
open my $fh, '<', $labels or die "$labels: $!";
my @cases = map { decode_json($_) } grep { /\S/ } <$fh>;
close $fh;
my $json = JSON::PP->new;
my ($n, $fail, $tp, $fp, $fn, $tn, $amb) = (0, 0, 0, 0, 0, 0, 0);
my @fails;
for my $c (@cases) {
  my $case = $c->{case};
  my $out = `$bin check --output-format json $case 2>/dev/null`;
  my $diags = eval { $json->decode($out) };
  if (!$diags) {
    $n++; $fail++;
    print "not ok $n - $case: condlint output is not JSON: ", substr($out, 0, 200), "\n";
    next;
  }
  my %by_line;
  for my $d (@$diags) { push @{ $by_line{$d->{line}} }, $d->{code} if $d->{path} eq $case || $case =~ /\Q$d->{path}\E$/ }
  for my $s (@{ $c->{sites} }) {
    my $line = $s->{line};
    # Folded in one graph and kept in another (a first compile and its
    # recompile): the site's line shows in a graph's code without a cond node
    # there, and is a cond node in another graph. A graph break makes graphs
    # that never reach the site; they do not count.
    my ($folded_in, $kept_in) = (0, 0);
    my @gl = @{ $c->{graph_site_lines} || [] };
    my @gcl = @{ $c->{graph_cond_lines} || [] };
    for my $g (0 .. $#gl) {
      my %lines = map { $_ => 1 } @{ $gl[$g] || [] };
      my %conds = map { $_ => 1 } @{ $gcl[$g] || [] };
      $kept_in++ if $conds{$line};
      $folded_in++ if $lines{$line} && !$conds{$line};
    }
    my $mixed = $folded_in && $kept_in;
    # make_fx graphs carry no stack traces: with one graph holding the cond and
    # another holding none, the oracle cannot tell a fold from a graph that never
    # reached the site. Then CL103 and no finding are both consistent with it.
    my @gc = @{ $c->{graph_conds} || [] };
    my $no_site_info = !grep { @{ $_ || [] } } @gl;
    my $ambiguous = $no_site_info && (grep { $_ == 0 } @gc) && (grep { $_ > 0 } @gc);
    my $v = $s->{verdict} // 'undecided';
    my @codes = @{ $by_line{$line} || [] };
    my @fold = grep { /^CL10[124]$/ } @codes;
    my @some = grep { /^CL103$/ } @codes;
    my $ok;
    my $want;
    if ($v eq 'folded') {
      $want = 'one of CL101/CL102/CL104';
      $ok = @fold == 1 && !@some;
      if (@fold) { $tp++ } else { $fn++ }
    } elsif ($v eq 'preserved' && $mixed) {
      $want = 'CL103 (first compile folds, recompile keeps)';
      $ok = @some == 1 && !@fold;
      if (@some) { $tp++ } else { $fn++ }
      $fp++ if @fold;
    } elsif ($v eq 'preserved' && $ambiguous) {
      $want = 'CL103 or nothing (graphs without stack traces: mixed or not cannot be told)';
      $ok = !@fold;
      $amb++;
      $fp++ if @fold;
    } elsif ($v eq 'preserved') {
      $want = 'no CL1xx';
      $ok = !@fold && !@some;
      if (@fold || @some) { $fp++ } else { $tn++ }
    } elsif ($v eq 'error') {
      my $err = $c->{error} // '';
      my @setup = grep { /^CL2/ } map { @$_ } values %by_line;
      my @spec = grep { /^CL104$/ } @codes;
      $want = 'no CL101/CL102/CL103 (tracing raised: ' . substr($err, 0, 60) . ')';
      $ok = !(grep { /^CL10[123]$/ } @codes);
      if ($err =~ /Constraints violated/ && (@spec || @setup)) { $tp++ }
      elsif (!$ok) { $fp++ }
      else { $tn++ }
    } else {
      $want = 'a definite label';
      $ok = 0;
    }
    $n++;
    my $got = @codes ? join(',', @codes) : 'nothing';
    if ($ok) {
      print "ok $n - $case:$line $v: $want\n";
    } else {
      $fail++;
      print "not ok $n - $case:$line $v: want $want, got $got\n";
      push @fails, "$case:$line";
    }
  }
}
print "1..$n\n";
my $prec = $tp + $fp ? $tp / ($tp + $fp) : 1;
my $rec = $tp + $fn ? $tp / ($tp + $fn) : 1;
printf "# corpus: %d sites, %d agree, %d disagree; folds: TP %d FP %d FN %d TN %d (%d undetermined); precision %.3f recall %.3f\n",
  $n, $n - $fail, $fail, $tp, $fp, $fn, $tn, $amb, $prec, $rec;
exit($fail ? 1 : 0);
