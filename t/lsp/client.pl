#!/usr/bin/perl
# client.pl — a scripted language-server client for the t/t07NN tests. It
# runs `condlint server` on pipes, sends what the script says, and prints
# what comes back, one line per event, for the test to match.
#
#   perl t/lsp/client.pl CONDLINT SCRIPT STDERR_FILE
#
# Script lines (# starts a comment; FILE is relative to the root given to
# initialize, or absolute; JSON is one JSON value on the rest of the line):
#   server ARGS...              start `CONDLINT server ARGS` (else: at the first command)
#   initialize ROOT [CAPS [OPTS]]  initialize (capabilities CAPS, initializationOptions OPTS),
#                               print the result, send initialized
#   open FILE [LANG]            didOpen with FILE's content from disk (version 1)
#   open-text FILE JSON         didOpen with the JSON string as the text (version 1)
#   change FILE VER SL SC EL EC JSON   didChange: replace the range by the JSON string
#   change-full FILE VER JSON   didChange with the whole text
#   changes FILE VER JSON       didChange with the JSON array as contentChanges
#   save FILE | close FILE      didSave / didClose
#   watched FILE TYPE           workspace/didChangeWatchedFiles (1 created, 2 changed, 3 deleted)
#   diagnostics FILE            wait for FILE's next publishDiagnostics and print a summary:
#                               "diagnostics NAME vVER: SL:SC-EL:EC CODE ..." (0-based)
#   diagnostics-json FILE       the same, printing the whole params as canonical JSON
#   quiet FILE MS               expect no publishDiagnostics for FILE within MS ms
#   versions FILE MS            the versions of every publishDiagnostics for FILE that come
#                               until none has come for MS ms: "versions NAME: 2 5 9"
#   request METHOD JSON         send a request, print "response METHOD: RESULT-OR-ERROR"
#   notify METHOD JSON          send a notification
#   send TEXT                   send TEXT as one framed message (need not be JSON)
#   raw TEXT                    send TEXT as it is (\r \n \\ escapes), no framing
#   next-response               print the next response that was not waited for
#   message METHOD              wait for a notification METHOD from the server, print its params
#   sleep MS
#   run SHELL-COMMAND           run a command (to change files on disk)
#   eof                         close the server's stdin, print "exit STATUS"
#   shutdown                    shutdown request and exit notification, print "exit STATUS"
#   vanish                      close both pipes at once (a client that crashed), print "exit STATUS"
use strict;
use warnings;
use IO::Select;
use IPC::Open3;
use JSON::PP;
use POSIX ();
use Symbol 'gensym';
use Time::HiRes qw(time sleep);

my ($condlint, $script, $errfile) = @ARGV;
die "usage: client.pl CONDLINT SCRIPT STDERR_FILE\n" unless $script && $errfile;
$SIG{PIPE} = 'IGNORE';
$| = 1;

my $json = JSON::PP->new->canonical->allow_nonref;
my $TIMEOUT = $ENV{LSP_TEST_TIMEOUT} || 20;
my ($pid, $to, $from, $buf, @inbox, $root, $next_id, %versions);
$buf = '';
$next_id = 1;

sub start {
  my @args = @_;
  open(my $err, '>', $errfile) or die "$errfile: $!";
  $pid = open3($to, $from, '>&' . fileno($err), $condlint, 'server', @args);
  close $err;
  binmode $to;
  binmode $from;
}

sub uri_of {
  my ($f) = @_;
  my $p = $f =~ m{^/} ? $f : "$root/$f";
  $p =~ s/([^A-Za-z0-9\-._~\/])/sprintf('%%%02X', ord $1)/ge;
  return "file://$p";
}

sub path_of { my ($f) = @_; return $f =~ m{^/} ? $f : "$root/$f" }

sub write_raw {
  my ($bytes) = @_;
  return unless $to;
  local $SIG{PIPE} = 'IGNORE';
  my $off = 0;
  while ($off < length $bytes) {
    my $w = syswrite($to, $bytes, length($bytes) - $off, $off);
    if (!defined $w) { print "write failed: $!\n"; return }
    $off += $w;
  }
}

sub send_msg {
  my ($msg) = @_;
  my $body = ref $msg ? JSON::PP->new->canonical->encode($msg) : $msg;
  utf8::encode($body) if utf8::is_utf8($body);
  write_raw('Content-Length: ' . length($body) . "\r\n\r\n" . $body);
}

# Read one message from the server into @inbox; false at timeout or EOF.
sub pump {
  my ($deadline) = @_;
  while (1) {
    if ($buf =~ /\A(.*?)\r\n\r\n/s) {
      my $head = $1;
      my ($len) = $head =~ /Content-Length: *(\d+)/i;
      die "bad header from server: $head\n" unless defined $len;
      my $hl = length($head) + 4;
      if (length($buf) >= $hl + $len) {
        my $body = substr($buf, $hl, $len);
        $buf = substr($buf, $hl + $len);
        my $msg = eval { JSON::PP->new->utf8->decode($body) };
        die "server sent invalid JSON: $body\n" unless $msg;
        if (defined $msg->{method} && defined $msg->{id}) { # a request of the server's
          print "server-request $msg->{method}\n";
          send_msg({jsonrpc => '2.0', id => $msg->{id}, result => undef});
          next;
        }
        push @inbox, $msg;
        return 1;
      }
    }
    my $left = $deadline - time;
    return 0 if $left <= 0 || !$from;
    my $sel = IO::Select->new($from);
    next unless $sel->can_read($left);
    my $n = sysread($from, my $chunk, 65536);
    return 0 unless $n;
    $buf .= $chunk;
  }
}

# Take the first message of @inbox that $pred accepts, waiting for it.
sub take {
  my ($pred, $ms) = @_;
  my $deadline = time + ($ms // $TIMEOUT * 1000) / 1000;
  while (1) {
    for my $i (0 .. $#inbox) {
      return splice(@inbox, $i, 1) if $pred->($inbox[$i]);
    }
    return undef unless pump($deadline);
  }
}

sub summary {
  my ($p) = @_;
  my @parts;
  for my $d (@{$p->{diagnostics}}) {
    my $r = $d->{range};
    my $rel = @{$d->{relatedInformation} || []};
    push @parts, sprintf('%d:%d-%d:%d %s', $r->{start}{line}, $r->{start}{character},
                         $r->{end}{line}, $r->{end}{character}, $d->{code} // '?')
      . ($rel ? " [$rel related]" : '');
  }
  my $name = $p->{uri};
  $name =~ s{^.*/}{};
  my $v = defined $p->{version} ? "v$p->{version}" : 'v-';
  return "diagnostics $name $v: " . (@parts ? join(', ', @parts) : '(none)');
}

sub wait_exit {
  my $deadline = time + $TIMEOUT;
  while (time < $deadline) {
    my $r = waitpid($pid, POSIX::WNOHANG());
    if ($r == $pid) {
      my $st = $?;
      undef $pid;
      return ($st & 127) ? 'signal ' . ($st & 127) : 'exit ' . ($st >> 8);
    }
    # keep reading so that the server never blocks on a full pipe
    if ($from) {
      my $sel = IO::Select->new($from);
      if ($sel->can_read(0.02)) {
        my $n = sysread($from, my $chunk, 65536);
        if ($n) { $buf .= $chunk } else { close $from; undef $from }
      }
    } else {
      sleep 0.02;
    }
  }
  kill 'KILL', $pid;
  waitpid($pid, 0);
  undef $pid;
  return 'timeout (killed)';
}

my @lines;
{
  open(my $fh, '<', $script) or die "$script: $!";
  local $/;
  @lines = split /\n/, <$fh>;
}

for my $line (@lines) {
  next if $line =~ /^\s*(#|$)/;
  my ($cmd, $rest) = $line =~ /^\s*(\S+)\s*(.*)$/;
  if ($cmd eq 'server') { start(split ' ', $rest); next }
  start() unless $pid;
  if ($cmd eq 'initialize') {
    my ($r, $caps, $opts) = $rest =~ /^(\S+)\s*(\{.*?\})?\s*(\{.*\})?$/;
    $root = $r;
    my $c = $caps ? $json->decode($caps) : {};
    my $id = $next_id++;
    my $uri = uri_of($root);
    send_msg({jsonrpc => '2.0', id => $id, method => 'initialize',
              params => {processId => undef, rootUri => $uri, capabilities => $c,
                         ($opts ? (initializationOptions => $json->decode($opts)) : ()),
                         workspaceFolders => [{uri => $uri, name => 'ws'}]}});
    my $resp = take(sub { defined $_[0]{id} && $_[0]{id} eq $id });
    print 'initialize: ', ($resp ? $json->encode($resp->{result} // $resp->{error}) : 'timeout'), "\n";
    send_msg({jsonrpc => '2.0', method => 'initialized', params => {}});
  } elsif ($cmd eq 'open' || $cmd eq 'open-text') {
    my ($f, $arg) = $rest =~ /^(\S+)\s*(.*)$/;
    my $text;
    if ($cmd eq 'open') {
      open(my $fh, '<:raw', path_of($f)) or die path_of($f) . ": $!";
      local $/;
      $text = <$fh>;
      utf8::decode($text);
    } else {
      $text = $json->decode($arg);
    }
    $versions{$f} = 1;
    send_msg({jsonrpc => '2.0', method => 'textDocument/didOpen',
              params => {textDocument => {uri => uri_of($f),
                                          languageId => ($cmd eq 'open' && $arg ? $arg : 'python'),
                                          version => 1, text => $text}}});
  } elsif ($cmd eq 'change') {
    my ($f, $v, $sl, $sc, $el, $ec, $t) = $rest =~ /^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/
      or die "bad change: $line\n";
    send_msg({jsonrpc => '2.0', method => 'textDocument/didChange',
              params => {textDocument => {uri => uri_of($f), version => $v + 0},
                         contentChanges => [{range => {start => {line => $sl + 0, character => $sc + 0},
                                                       end => {line => $el + 0, character => $ec + 0}},
                                             text => $json->decode($t)}]}});
  } elsif ($cmd eq 'changes') {
    my ($f, $v, $t) = $rest =~ /^(\S+)\s+(\d+)\s+(.*)$/ or die "bad changes: $line\n";
    send_msg({jsonrpc => '2.0', method => 'textDocument/didChange',
              params => {textDocument => {uri => uri_of($f), version => $v + 0},
                         contentChanges => $json->decode($t)}});
  } elsif ($cmd eq 'change-full') {
    my ($f, $v, $t) = $rest =~ /^(\S+)\s+(\d+)\s+(.*)$/ or die "bad change-full: $line\n";
    send_msg({jsonrpc => '2.0', method => 'textDocument/didChange',
              params => {textDocument => {uri => uri_of($f), version => $v + 0},
                         contentChanges => [{text => $json->decode($t)}]}});
  } elsif ($cmd eq 'save' || $cmd eq 'close') {
    send_msg({jsonrpc => '2.0', method => $cmd eq 'save' ? 'textDocument/didSave' : 'textDocument/didClose',
              params => {textDocument => {uri => uri_of($rest)}}});
  } elsif ($cmd eq 'watched') {
    my ($f, $type) = split ' ', $rest;
    send_msg({jsonrpc => '2.0', method => 'workspace/didChangeWatchedFiles',
              params => {changes => [{uri => uri_of($f), type => $type + 0}]}});
  } elsif ($cmd eq 'diagnostics' || $cmd eq 'diagnostics-json') {
    my $uri = uri_of($rest);
    my $m = take(sub { ($_[0]{method} // '') eq 'textDocument/publishDiagnostics' && $_[0]{params}{uri} eq $uri });
    if (!$m) { print "diagnostics $rest: timeout\n"; next }
    print $cmd eq 'diagnostics' ? summary($m->{params}) : $json->encode($m->{params}), "\n";
  } elsif ($cmd eq 'versions') {
    my ($f, $ms) = split ' ', $rest;
    my $uri = uri_of($f);
    my @v;
    while (my $m = take(sub { ($_[0]{method} // '') eq 'textDocument/publishDiagnostics' && $_[0]{params}{uri} eq $uri }, $ms)) {
      push @v, $m->{params}{version} // '-';
    }
    print "versions $f: @v\n";
  } elsif ($cmd eq 'quiet') {
    my ($f, $ms) = split ' ', $rest;
    my $uri = uri_of($f);
    my $m = take(sub { ($_[0]{method} // '') eq 'textDocument/publishDiagnostics' && $_[0]{params}{uri} eq $uri }, $ms);
    print $m ? 'unexpected ' . summary($m->{params}) . "\n" : "quiet $f\n";
  } elsif ($cmd eq 'request') {
    my ($method, $params) = $rest =~ /^(\S+)\s*(.*)$/;
    my $id = $next_id++;
    send_msg({jsonrpc => '2.0', id => $id, method => $method,
              ($params ne '' ? (params => $json->decode($params)) : ())});
    my $resp = take(sub { defined $_[0]{id} && $_[0]{id} eq $id && !defined $_[0]{method} });
    print "response $method: ",
      ($resp ? $json->encode(exists $resp->{error} ? {error => $resp->{error}} : $resp->{result}) : 'timeout'), "\n";
  } elsif ($cmd eq 'notify') {
    my ($method, $params) = $rest =~ /^(\S+)\s*(.*)$/;
    send_msg({jsonrpc => '2.0', method => $method, ($params ne '' ? (params => $json->decode($params)) : ())});
  } elsif ($cmd eq 'send') {
    send_msg($rest);
  } elsif ($cmd eq 'raw') {
    my $t = $rest;
    $t =~ s/\\(r|n|\\)/$1 eq 'r' ? "\r" : $1 eq 'n' ? "\n" : "\\"/ge;
    write_raw($t);
  } elsif ($cmd eq 'next-response') {
    my $resp = take(sub { !defined $_[0]{method} });
    print 'response: ', ($resp ? $json->encode($resp) : 'timeout'), "\n";
  } elsif ($cmd eq 'message') {
    my $m = take(sub { ($_[0]{method} // '') eq $rest });
    print "message $rest: ", ($m ? $json->encode($m->{params}) : 'timeout'), "\n";
  } elsif ($cmd eq 'run') {
    system('sh', '-c', $rest) == 0 or print "run failed: $rest\n";
  } elsif ($cmd eq 'sleep') {
    sleep($rest / 1000);
  } elsif ($cmd eq 'eof') {
    close $to;
    undef $to;
    print wait_exit(), "\n";
  } elsif ($cmd eq 'shutdown') {
    my $id = $next_id++;
    send_msg({jsonrpc => '2.0', id => $id, method => 'shutdown'});
    my $resp = take(sub { defined $_[0]{id} && $_[0]{id} eq $id });
    print 'response shutdown: ', ($resp ? $json->encode($resp->{result} // $resp->{error}) : 'timeout'), "\n";
    send_msg({jsonrpc => '2.0', method => 'exit'});
    close $to;
    undef $to;
    print wait_exit(), "\n";
  } elsif ($cmd eq 'vanish') {
    close $from;
    undef $from;
    close $to;
    undef $to;
    print wait_exit(), "\n";
  } else {
    die "unknown command: $line\n";
  }
}
if ($pid) { # the script did not end the server: do it now
  close $to if $to;
  undef $to;
  my $st = wait_exit();
  print "exit (end of script): $st\n";
}
