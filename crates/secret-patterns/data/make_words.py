#!/usr/bin/env python3
"""Builds data/words.txt: the common words the `words` filter looks for.

The list is derived, not copied: the most frequent alphabetic words (3 to 12
letters) in the prose and identifiers of two corpora every machine of ours
has, the Rust toolchain's documentation and Python's standard library, plus
a short hand-written list of words that placeholder credentials are made of
(service names, roles, environments). Rerun it to regenerate the file:

    python3 crates/secret-patterns/data/make_words.py > crates/secret-patterns/data/words.txt
"""
import collections, html, os, re, subprocess, sysconfig

EXTRA = """
admin administrator root user username guest test testing tester demo
sample example local localhost dev develop development prod production stage
staging qa secret secrets secure security password passwd pass token tokens
key keys apikey private public default changeme letmein welcome hello world
master super superuser service account accounts app application web server
client database postgres postgresql mysql mongo mongodb redis rabbit rabbitmq
smtp imap ldap http https ftp ssh api sql kafka elastic elasticsearch oracle sqlserver mssql docker kubernetes cluster
aws azure gcp google github gitlab bitbucket slack stripe twilio crates cargo
npm pypi maven gradle jenkins travis circle very much more most super dummy
fake mock stub foo bar baz qux quux spam eggs alice bob charlie dave eve
mallory trent john jane doe company acme corp example internal external
insecure unsafe simple strong weak random generated placeholder value values
my your our their new old first second third one two three four five six
seven eight nine ten
"""

def words_of(text, counter):
    for w in re.findall(r"[A-Za-z]+", text):
        # Split camelCase.
        for part in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", w):
            p = part.lower()
            if 3 <= len(p) <= 12:
                counter[p] += 1

def main():
    counter = collections.Counter()
    sysroot = subprocess.run(["rustc", "--print", "sysroot"], capture_output=True, text=True).stdout.strip()
    roots = [(os.path.join(sysroot, "share", "doc", "rust", "html", "book"), (".html",)),
             (sysconfig.get_paths()["stdlib"], (".py",))]
    for root, exts in roots:
        for dirpath, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if d not in ("site-packages", "__pycache__", "test", "tests")]
            for f in files:
                if f.endswith(exts):
                    try:
                        text = open(os.path.join(dirpath, f), encoding="utf-8", errors="ignore").read()
                    except OSError:
                        continue
                    if f.endswith(".html"):
                        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
                    words_of(text, counter)
    common = [w for w, n in counter.most_common(6000) if n >= 20]
    # Words whose letters are a hex or base64 run by chance would drop real
    # tokens: keep only words with a vowel (hex-only words like "fed" stay).
    common = [w for w in common if re.search(r"[aeiouy]", w)]
    out = sorted(set(common) | set(EXTRA.split()))
    print("\n".join(out))

main()
