#!/usr/bin/env perl
# t0300-corpus.t — holds condlint to every label that real PyTorch gave the
# cases of t/corpus/ (labels.jsonl, written by the oracle on the PyTorch
# machine; see t/corpus/README.md). Per cond site:
#   folded     -> exactly one CL101, CL102 or CL104 on the site's line
#   preserved  -> none of them; a CL103 only when the case's graphs disagree
#                 (graph_conds holds both 0 and >0: first compile folded,
#                 recompile kept), which is then required
#   error      -> tracing raised; a CL104 or CL2xx finding is expected when the
#                 error is a specialization ("Constraints violated"), else no CL1xx
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
my ($n, $fail, $tp, $fp, $fn, $tn) = (0, 0, 0, 0, 0, 0);
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
  my @gc = @{ $c->{graph_conds} || [] };
  my $mixed = (grep { $_ == 0 } @gc) && (grep { $_ > 0 } @gc);
  for my $s (@{ $c->{sites} }) {
    my $line = $s->{line};
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
    } elsif ($v eq 'preserved') {
      $want = 'no CL1xx';
      $ok = !@fold && !@some;
      if (@fold || @some) { $fp++ } else { $tn++ }
    } elsif ($v eq 'error') {
      my $err = $c->{error} // '';
      if ($err =~ /Constraints violated|specializ/i) {
        $want = 'CL104 or a CL2xx (the trace specializes a Dim)';
        my @setup = grep { /^CL2/ } map { @$_ } values %by_line;
        $ok = @fold + @setup >= 1;
        if ($ok) { $tp++ } else { $fn++ }
      } else {
        $want = 'no CL1xx (tracing raised: ' . substr($err, 0, 80) . ')';
        $ok = !@fold && !@some;
        $fp++ if !$ok;
      }
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
printf "# corpus: %d sites, %d agree, %d disagree; folds: TP %d FP %d FN %d TN %d; precision %.3f recall %.3f\n",
  $n, $n - $fail, $fail, $tp, $fp, $fn, $tn, $prec, $rec;
exit($fail ? 1 : 0);
