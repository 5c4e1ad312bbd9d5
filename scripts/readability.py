#!/usr/bin/env python3
"""Lesbarkeit messen: jede Seite in Leichter Sprache neben ihrer deutschen Seite.

Prints a Markdown table per page with, for German and for Leichte Sprache: words per
sentence, letters per word, the share of long words (4 or more syllables) and the
Flesch reading ease for German (Amstad: 180 - words/sentence - 58.5 x syllables/word;
higher = easier, above 80 is easy). A measure, not a verdict: the Netzwerk Leichte Sprache
requires a check by readers (Prüfgruppe), which no formula replaces.

Exit codes: 0 ok, 2 usage error.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitekit.languages import SOURCE_LANGUAGE  # noqa: E402
from sitekit.site import Site  # noqa: E402

EASY = "de-x-ls"
WORD = re.compile(r"[A-Za-zÄÖÜäöüß]+(?:-[A-Za-zÄÖÜäöüß]+)*")
VOWEL_GROUPS = re.compile(r"[aeiouyäöü]+", re.I)
SENTENCE_END = re.compile(r"[.!?:]+(?=\s|$)|\n\s*\n|\n\s*[-*] ")


def plain_text(markdown: str) -> str:
    """The readable text of a Markdown body: no placeholders, link targets, markup, headings' #."""
    text = re.sub(r"<!--.*?-->", " ", markdown, flags=re.S)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"<[^>]+>|[*_`#>\[\]|]", " ", text)
    return text


def syllables(word: str) -> int:
    """German syllables, approximated by vowel groups (good enough to compare two texts)."""
    return sum(max(1, len(VOWEL_GROUPS.findall(part))) for part in word.split("-"))


@dataclass(frozen=True)
class Measure:
    words: int
    sentences: int
    letters: int
    syllables: int
    long_words: int

    @property
    def words_per_sentence(self) -> float:
        return self.words / max(self.sentences, 1)

    @property
    def letters_per_word(self) -> float:
        return self.letters / max(self.words, 1)

    @property
    def long_share(self) -> float:
        return self.long_words / max(self.words, 1)

    @property
    def flesch_amstad(self) -> float:
        return 180 - self.words_per_sentence - 58.5 * (self.syllables / max(self.words, 1))


def measure(markdown: str) -> Measure:
    text = plain_text(markdown)
    sentences = [part for part in SENTENCE_END.split(text) if WORD.search(part)]
    words = WORD.findall(text)
    counts = [syllables(word) for word in words]
    return Measure(len(words), len(sentences), sum(len(w.replace("-", "")) for w in words), sum(counts),
                   sum(1 for count in counts if count >= 4))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args(argv)
    site = Site.load()
    if EASY not in site.folders:
        print(f"Die Sprache {EASY} (Leichte Sprache) ist nicht eingerichtet.", file=sys.stderr)
        return 2
    print("| Seite | Wörter/Satz (de → LS) | Buchstaben/Wort | Wörter mit 4+ Silben | Flesch-Amstad |")
    print("|---|---|---|---|---|")
    totals = {SOURCE_LANGUAGE: "", EASY: ""}
    for rel_path in site.pages(EASY):
        german, easy = (measure(site.page(code, rel_path).body) for code in (SOURCE_LANGUAGE, EASY))
        totals[SOURCE_LANGUAGE] += "\n\n" + site.page(SOURCE_LANGUAGE, rel_path).body
        totals[EASY] += "\n\n" + site.page(EASY, rel_path).body
        print(_row(rel_path, german, easy))
    print(_row("**alle Seiten**", measure(totals[SOURCE_LANGUAGE]), measure(totals[EASY])))
    return 0


def _row(name: str, german: Measure, easy: Measure) -> str:
    fmt = lambda value, digits=1: f"{value:.{digits}f}".replace(".", ",")  # noqa: E731
    return (f"| {name} | {fmt(german.words_per_sentence)} → {fmt(easy.words_per_sentence)} "
            f"| {fmt(german.letters_per_word, 2)} → {fmt(easy.letters_per_word, 2)} "
            f"| {fmt(german.long_share * 100)} % → {fmt(easy.long_share * 100)} % "
            f"| {fmt(german.flesch_amstad, 0)} → {fmt(easy.flesch_amstad, 0)} |")


if __name__ == "__main__":
    sys.exit(main())
