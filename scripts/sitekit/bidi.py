"""Left-to-right units inside right-to-left text, isolated so that they display as written.

In an Arabic, Persian, Pashto or Sorani sentence, a German name such as "Freundeskreis
für Flüchtlinge in Erkrath e.V." is a left-to-right run; without isolation the bidi
algorithm lets neighbouring punctuation and numbers jump ("Erkrath 40699", the full stop
of "…Mettmann." between the name and the words before it). Each run is wrapped in <bdi>
WITHOUT the sentence punctuation that follows it (abbreviations keep their dot), and
addresses, e-mail addresses, phone numbers and dates in Latin digits are isolated whole.
"""

from __future__ import annotations

import re

LATIN = "A-Za-zÀ-ÖØ-öø-žſẞ"
# Elements whose text is left alone: already isolated, code, or not text.
SKIP = {"bdi", "code", "pre", "script", "style", "svg", "time", "kbd", "samp", "math"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Abbreviations whose final dot belongs to them (German names in the texts).
ABBREVIATIONS = {"str.", "nr.", "dr.", "st.", "ca.", "bzw.", "usw.", "vgl.", "abs.", "ggf.", "inkl.", "tel.",
                 "gmbh.", "ggmbh.", "co.", "kg.", "jr.", "hbf."}

LTR_UNIT = re.compile(
    r"(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<phone>(?<![\w])\+?\d[\d /()-]{5,}\d(?![\w]))"
    r"|(?P<date>(?<!\d)\d{1,2}\.\d{1,2}\.\d{2,4}(?!\d))"
    rf"|(?P<run>(?<![{LATIN}0-9&#@])(?:\d+[ \u00a0])*[{LATIN}](?:[{LATIN}0-9 \u00a0.,:–\-/'’]*[{LATIN}0-9.])?)"
)
TAG = re.compile(r"(<[^>]+>)")
TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)")


def trim_run(run: str) -> tuple[str, str]:
    """(the run, what follows it): a final dot stays only if it ends an abbreviation ("e.V.", "Str.")."""
    if not run.endswith("."):
        return run, ""
    last = run.rsplit(None, 1)[-1]
    if ("." in last[:-1] and re.fullmatch(rf"(?:[{LATIN}]+\.)+", last) or last.lower() in ABBREVIATIONS
            or last.lower().endswith("str.")):  # Bahnstr., Düsseldorfer Str.
        return run, ""
    stripped = run.rstrip(".")
    return stripped.rstrip(" \u00a0,:"), run[len(stripped.rstrip(' \u00a0,:')):]


def _isolate_text(text: str) -> str:
    def wrap(match: re.Match) -> str:
        if match.group("run") is None:
            return f'<bdi dir="ltr">{match.group(0)}</bdi>'
        run, after = trim_run(match.group("run"))
        if len(run) < 2 or not any(char.isalpha() for char in run):
            return match.group(0)
        return f"<bdi>{run}</bdi>{after}"
    return LTR_UNIT.sub(wrap, text)


def isolate_ltr_runs(html: str) -> str:
    """Wrap left-to-right units of right-to-left text in <bdi> (text outside SKIP elements and
    outside elements with their own ``dir``, which browsers isolate already)."""
    parts = TAG.split(html)
    stack: list[tuple[str, bool]] = []  # (tag name, whether its text is left alone)
    for index, part in enumerate(parts):
        if index % 2:
            match = TAG_NAME.match(part)
            if not match:
                continue  # a comment or declaration
            closing, name = match.group(1) == "/", match.group(2).lower()
            if closing:
                for depth in range(len(stack) - 1, -1, -1):
                    if stack[depth][0] == name:
                        del stack[depth:]
                        break
            elif name not in VOID and not part.endswith("/>"):
                skip = name in SKIP or re.search(r"\sdir\s*=", part) is not None
                stack.append((name, skip or bool(stack and stack[-1][1])))
            continue
        if part.strip() and not (stack and stack[-1][1]):
            parts[index] = _isolate_text(part)
    return "".join(parts)
