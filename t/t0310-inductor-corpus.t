#!/usr/bin/env perl
# t0310-inductor-corpus.t — holds condlint's range-dispatch findings to what
# Inductor really generated on the GPU (t/corpus/inductor/labels.jsonl, from
# t/corpus/inductor/oracle_inductor.py on PyTorch 2.11):
#   no_dispatch -> exactly one CL105 on the op's call site (static context)
#   dispatch    -> no CL105/CL106 there
use strict;
use warnings;
use JSON::PP;
use FindBin;

chdir "$FindBin::Bin/.." or die;
my $bin = $ENV{CONDLINT} || "build/condlint";
open my $fh, '<', "t/corpus/inductor/labels.jsonl" or die "labels: $!";
my ($n, $fail) = (0, 0);
while (my $line = <$fh>) {
  next unless $line =~ /\S/;
  my $c = decode_json($line);
  my $out = `$bin check --output-format json $c->{case} 2>/dev/null`;
  my $diags = eval { decode_json($out) } || [];
  for my $s (@{ $c->{sites} }) {
    my @codes = map { $_->{code} } grep { $_->{line} == $s->{line} } @$diags;
    my @lost = grep { /^CL10[56]$/ } @codes;
    my ($ok, $want);
    if ($s->{verdict} eq 'no_dispatch') {
      $want = 'one CL105';
      $ok = @lost == 1 && $lost[0] eq 'CL105';
    } elsif ($s->{verdict} eq 'dispatch') {
      $want = 'no CL105/CL106';
      $ok = !@lost;
    } else {
      $want = 'a definite label';
      $ok = 0;
    }
    $n++;
    $fail++ unless $ok;
    printf "%s %d - %s:%d %s (torch %s): %s%s\n", $ok ? 'ok' : 'not ok', $n, $c->{case}, $s->{line},
      $s->{verdict}, $c->{torch}, $want, $ok ? '' : ', got ' . (join(',', @codes) || 'nothing');
  }
}
print "1..$n\n";
exit($fail ? 1 : 0);
