#!/usr/bin/perl
# differential.pl — random edits through `condlint server` against
# `condlint check` on the same text. The server parses each version
# incrementally (the previous version's tree, edited); `check` parses it from
# scratch. After every edit the diagnostics the server publishes for that
# version must be exactly the findings of `check --stdin-filename`: same
# codes, same messages, same ranges (converted to 0-based UTF-16 columns).
#
#   perl t/lsp/differential.pl CONDLINT FILE EDITS SEED STDERR_FILE
#
# Prints "ok N" per edit, or "mismatch at edit N" with both sides; exits 1 on
# a mismatch or a timeout.
use strict;
use warnings;
use IO::Select;
use IPC::Open3;
use JSON::PP;
use Symbol 'gensym';
use Time::HiRes qw(time);

my ($condlint, $file, $edits, $seed, $errfile) = @ARGV;
die "usage: differential.pl CONDLINT FILE EDITS SEED STDERR_FILE\n" unless $errfile;
$SIG{PIPE} = 'IGNORE';
$| = 1;
srand($seed);

my $json = JSON::PP->new->canonical;
open(my $fh, '<:raw', $file) or die "$file: $!";
my $text = do { local $/; <$fh> };
close $fh;
utf8::decode($text) or die "$file is not UTF-8\n";
(my $dir = $file) =~ s{/[^/]*$}{};
my $uri = 'file://' . $file;

open(my $err, '>>', $errfile) or die "$errfile: $!";
my $pid = open3(my $to, my $from, '>&' . fileno($err), $condlint, 'server', '--debounce', '0');
binmode $to;
binmode $from;
my $buf = '';
my $id = 0;

sub send_msg {
  my $body = JSON::PP->new->utf8->canonical->encode($_[0]);
  syswrite($to, 'Content-Length: ' . length($body) . "\r\n\r\n" . $body);
}

sub next_msg {
  my $deadline = time + 60;
  while (1) {
    if ($buf =~ /\A(.*?)\r\n\r\n/s) {
      my $head = $1;
      my ($len) = $head =~ /Content-Length: *(\d+)/i;
      my $hl = length($head) + 4;
      if (length($buf) >= $hl + $len) {
        my $body = substr($buf, $hl, $len);
        $buf = substr($buf, $hl + $len);
        return JSON::PP->new->utf8->decode($body);
      }
    }
    my $left = $deadline - time;
    return undef if $left <= 0 || !IO::Select->new($from)->can_read($left);
    my $n = sysread($from, my $chunk, 1 << 20);
    return undef unless $n;
    $buf .= $chunk;
  }
}

sub wait_publish {
  my ($version) = @_;
  while (my $m = next_msg()) {
    next unless ($m->{method} // '') eq 'textDocument/publishDiagnostics' && $m->{params}{uri} eq $uri;
    return $m->{params} if ($m->{params}{version} // -1) == $version;
  }
  return undef;
}

# UTF-16 length of a string of characters
sub u16 { my $s = shift; my $n = length $s; $n++ for $s =~ /[^\x{0}-\x{FFFF}]/g; $n }

# (line, UTF-16 column) of character offset $off in $t
sub pos_of {
  my ($t, $off) = @_;
  my $before = substr($t, 0, $off);
  my $line = () = $before =~ /\n/g;
  my $start = rindex($before, "\n") + 1;
  return ($line, u16(substr($before, $start)));
}

# the findings of `condlint check` on $t, as "L:C-L:C CODE message" lines
sub check_findings {
  my ($t) = @_;
  my $bytes = $t;
  utf8::encode($bytes);
  my $pid2 = open3(my $in2, my $out2, '>&' . fileno($err), $condlint, 'check', '--output-format', 'json',
                   '--stdin-filename', $file, '-');
  binmode $in2;
  print $in2 $bytes;
  close $in2;
  my $out = do { local $/; <$out2> };
  waitpid($pid2, 0);
  my @lines = split /\n/, $t, -1;
  my @r;
  for my $d (@{decode_json($out)}) {
    next unless $d->{path} eq $file || "$dir/$d->{path}" eq $file;
    my $conv = sub {
      my ($l, $c) = @_; # 1-based line, 1-based character column
      my $s = $lines[$l - 1] // '';
      return sprintf('%d:%d', $l - 1, u16(substr($s, 0, $c - 1)));
    };
    my $msg = $d->{message};
    $msg .= "\nhelp: $d->{fix}{message}" if $d->{fix};
    my $rel = join '', map {
      ' | ' . $conv->($_->{line}, $_->{column}) . '-' . $conv->($_->{end_line}, $_->{end_column})
        . " $_->{message}"
    } grep { $_->{path} eq $d->{path} } @{$d->{related}};
    push @r, $conv->($d->{line}, $d->{column}) . '-' . $conv->($d->{end_line}, $d->{end_column})
      . " $d->{code} $msg$rel";
  }
  return join("\n", sort @r);
}

sub server_findings {
  my ($p) = @_;
  my $rs = sub { my $r = shift; "$r->{start}{line}:$r->{start}{character}-$r->{end}{line}:$r->{end}{character}" };
  return join("\n", sort map {
    my $rel = join '', map { ' | ' . $rs->($_->{location}{range}) . " $_->{message}" }
      grep { $_->{location}{uri} eq $uri } @{$_->{relatedInformation} || []};
    $rs->($_->{range}) . " $_->{code} $_->{message}$rel"
  } @{$p->{diagnostics}});
}

my @snippets = ("x", "(", ")", ":", "\n", "    ", "é", "\x{1F600}", "#", "\"", "'''", "0",
                "torch.cond(", "x.shape[1]", " <= 1024", "\ndef g(x):\n    return x\n",
                "\n    y = x.shape[0] * 2\n", "tracing_mode=\"symbolic\", ", "if x:\n", "\\\n");

send_msg({jsonrpc => '2.0', id => ++$id, method => 'initialize',
          params => {processId => undef, rootUri => "file://$dir", capabilities => {}}});
next_msg();
send_msg({jsonrpc => '2.0', method => 'initialized', params => {}});
send_msg({jsonrpc => '2.0', method => 'textDocument/didOpen',
          params => {textDocument => {uri => $uri, languageId => 'python', version => 1, text => $text}}});
my $fail = 0;
my $p = wait_publish(1);
if (!$p) { print "timeout at open\n"; exit 1 }
my $want = check_findings($text);
my $got = server_findings($p);
if ($got ne $want) { print "mismatch at open\n--- server\n$got\n--- check\n$want\n"; $fail = 1 }

my (@undo, $clean, $was_broken) = ();
($clean, $was_broken) = (0, 0);
for my $n (1 .. $edits) {
  last if $fail;
  my ($a, $b, $s);
  if (@undo && rand() < ($was_broken ? 0.9 : 0.4)) { # take the last edit back, as typing often does
    ($a, $b, $s) = @{pop @undo};
  } else {
    my $kind = rand();
    $a = int(rand(length($text) + 1));
    if ($kind < 0.45) { # insert a snippet
      $b = $a;
      $s = $snippets[int rand @snippets];
    } elsif ($kind < 0.75) { # delete a few characters
      $b = $a + int(rand(8));
      $b = length $text if $b > length $text;
      $s = '';
    } else { # replace a few characters
      $b = $a + int(rand(4));
      $b = length $text if $b > length $text;
      $s = $snippets[int rand @snippets];
    }
    push @undo, [$a, $a + length($s), substr($text, $a, $b - $a)];
  }
  my ($sl, $sc) = pos_of($text, $a);
  my ($el, $ec) = pos_of($text, $b);
  $text = substr($text, 0, $a) . $s . substr($text, $b);
  my $v = $n + 1;
  send_msg({jsonrpc => '2.0', method => 'textDocument/didChange',
            params => {textDocument => {uri => $uri, version => $v},
                       contentChanges => [{range => {start => {line => $sl, character => $sc},
                                                     end => {line => $el, character => $ec}},
                                           text => $s}]}});
  $p = wait_publish($v);
  if (!$p) { print "timeout at edit $n\n"; $fail = 1; last }
  $want = check_findings($text);
  $got = server_findings($p);
  # With a syntax error, tree-sitter's recovery after an incremental parse
  # may draw the error regions differently from a parse from scratch: then
  # only that both see an error is required. Without one, all must match.
  my $broken = $want =~ / CL901 /;
  my $same = $broken ? $got =~ / CL901 / : $got eq $want;
  $clean++ unless $broken;
  $was_broken = $broken;
  if (!$same) {
    print "mismatch at edit $n\n--- server\n$got\n--- check\n$want\n";
    $fail = 1;
    my $bytes = $text;
    utf8::encode($bytes);
    if (open(my $o, '>:raw', "$errfile.text")) { print $o $bytes; close $o }
  } else {
    print "ok $n", ($broken ? " (syntax error)" : ''), "\n";
  }
}
print "versions without a syntax error compared exactly: $clean\n";
send_msg({jsonrpc => '2.0', id => ++$id, method => 'shutdown'});
next_msg();
send_msg({jsonrpc => '2.0', method => 'exit'});
close $to;
waitpid($pid, 0);
print "server exit ", $? >> 8, "\n";
exit($fail || $? ? 1 : 0);
