#!/usr/bin/env perl
# generate.pl NAME — print one of the large hostile inputs that found a crash
# (or a hang) in condlint, so that the regression tests of t/t0501 can make it
# at test time instead of keeping megabytes in the repository. Each input
# starts with $HEAD, a torch.cond that folds (CL102 on line 5): the prefilter
# parses the file for it, and while the file is analysed it is reported.
use strict;
use warnings;

my $HEAD = "import torch\n\n\ndef f(x):\n    return torch.cond(x.dim() == 3, torch.sin, torch.cos, (x,))\n";

my %gen = (
  # 70000 comment lines in a row: a node of more than 65535 children, which
  # Debian's tree-sitter 0.20.7 frees wrongly (fixed: parse.c blanks them)
  'comment-flood' => sub {
    $HEAD . ("# c\n" x 70000) . "# condlint: ignore[CL101]\n"
      . "def g(x):\n    return torch.cond(x.dim() == 3, a, b, (x,))\n" . ("  # c\r\n" x 70000)
  },
  # 70000 line continuations in a row: the same tree-sitter bug (parse.c
  # refuses the file with CL904 after a trial parse in a child process)
  'continuation-flood' => sub { $HEAD . "x = 1 + \\\n" . ("\\\n" x 70000) . "2\n" },
  # 70000 '*' that end in one ERROR node: the same bug, inside ts_parser_parse
  'error-run-stars' => sub { $HEAD . "x = [" . ("*" x 70000) . "a]\n" },
  # a right-nested power chain without its last operand: 66000 stack entries
  # wrapped into one ERROR at the end of the file
  'error-run-power' => sub { $HEAD . "x = " . ("a ** " x 33000) . "\n" },
  # 100000 elif clauses: lowered into ifs nested 100000 deep, which overflowed
  # the interpreter's stack (fixed: parse.c flattens elifs past 400)
  'elif-chain' => sub {
    $HEAD . "if a:\n    pass\n" . ("elif a:\n    pass\n" x 100000)
      . "else:\n    y = torch.cond(x.dim() == 3, a, b, (x,))\n"
  },
  # two tuples nested 195000 deep, joined where an if merges: value.c
  # cl_v_join recursed without a bound, a stack overflow (fixed: depth 64)
  'deep-value-join' => sub {
    my $d = 390;
    my $line = sub { my $v = shift; "$v = " . ("(" x $d) . $v . (",)" x $d) . "\n" };
    $HEAD . "x = ()\ny = ()\n" . ($line->('x') x 500) . ($line->('y') x 500)
      . "if c:\n    z = x\nelse:\n    z = y\n"
  },
  # 50000 names in one scope: value.c cl_env_set/cl_env_lookup scanned
  # linearly, quadratic time (fixed: hashed past 12 names)
  'many-names' => sub { $HEAD . join("", map { "x$_ = $_\n" } 1 .. 50000) },
  # every function is a root with 400000 steps (150000 now), and every step allocated
  # from one arena freed at the end: 30 one-line roots calling a fan-out of
  # 10^6 calls took about 30 x 27 MB (fixed: a scratch arena per root)
  'fanout-memory' => sub {
    my $s = $HEAD . "\n\ndef g0(x):\n    return x + 1\n";
    $s .= "\n\ndef g$_(x):\n" . ("    g" . ($_ - 1) . "(x)\n") x 10 for 1 .. 6;
    $s .= "\n\ndef root$_(x):\n    g6(x)\n" for 1 .. 30;
    $s
  },

  # a configuration nested 100000 deep: config.c (convert, insert_pair,
  # flatten_key, first_error) recursed without a bound, a stack overflow
  # (fixed: values nest 128 deep at most, keys have 32 parts at most)
  'toml-deep-array' => sub { "select = " . ("[" x 100000) . ("]" x 100000) . "\n" },
  'toml-deep-table' => sub { "a = " . ("{b = " x 100000) . "1" . ("}" x 100000) . "\n" },
  'toml-long-key' => sub { "[" . join(".", ("a") x 100000) . "]\n" },
  # the same, with an error deep inside: first_error walked it recursively
  'toml-deep-error' => sub { "select = " . ("[" x 100000) . "=" . ("]" x 100000) . "\n" },
);

my $name = shift // '';
if (!$gen{$name}) {
  print STDERR "usage: generate.pl NAME\nnames: ", join(' ', sort keys %gen), "\n";
  exit 2;
}
binmode STDOUT;
print $gen{$name}->();
