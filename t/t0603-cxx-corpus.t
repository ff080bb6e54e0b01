#!/usr/bin/env perl
# t0603-cxx-corpus.t — holds condlint to the labels real PyTorch 2.11 gave the
# C++ custom-op cases (t/corpus/cxx_labels.jsonl: extensions built with
# load_inline and traced). Each case is checked together with its C++ source,
# t/fixtures/cxx/<case>.cpp, so the Python side sees the registrations:
#   folded    -> exactly one CL101/CL102/CL104 on the cond's line
#   preserved -> none
#   error     -> no CL101/CL102/CL103 (the trace raised)
use strict;
use warnings;
use JSON::PP;
use FindBin;

chdir "$FindBin::Bin/.." or die;
my $bin = $ENV{CONDLINT} || "build/condlint";
open my $fh, '<', "t/corpus/cxx_labels.jsonl" or die "labels: $!";
my ($n, $fail) = (0, 0);
while (my $line = <$fh>) {
  next unless $line =~ /\S/;
  my $c = decode_json($line);
  (my $base = $c->{case}) =~ s{.*/|\.py$}{}g;
  my $cpp = "t/fixtures/cxx/$base.cpp";
  my @args = ($c->{case}, -f $cpp ? $cpp : ());
  my $out = `$bin check --output-format json @args 2>/dev/null`;
  my $diags = eval { decode_json($out) } || [];
  for my $s (@{ $c->{sites} }) {
    my @codes = map { $_->{code} } grep { $_->{path} eq $c->{case} && $_->{line} == $s->{line} } @$diags;
    my @fold = grep { /^CL10[124]$/ } @codes;
    my ($ok, $want);
    if ($s->{verdict} eq 'folded') { $want = 'one CL101/CL102/CL104'; $ok = @fold == 1 }
    elsif ($s->{verdict} eq 'preserved') { $want = 'no CL1xx'; $ok = !grep { /^CL10/ } @codes }
    elsif ($s->{verdict} eq 'error') { $want = 'no CL101/CL102/CL103'; $ok = !grep { /^CL10[123]$/ } @codes }
    else { $want = 'a definite label'; $ok = 0 }
    $n++;
    $fail++ unless $ok;
    printf "%s %d - %s:%d %s (torch %s, with %s): %s%s\n", $ok ? 'ok' : 'not ok', $n, $c->{case},
      $s->{line}, $s->{verdict}, $c->{torch}, -f $cpp ? $cpp : 'no C++ twin', $want,
      $ok ? '' : ', got ' . (join(',', @codes) || 'nothing');
  }
}
print "1..$n\n";
exit($fail ? 1 : 0);
