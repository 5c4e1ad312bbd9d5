"""Rules for text that editors, translators and data files supply (untrusted input).

Every text that reaches a page passes these rules in the check, before anything is
built: no markup, no invisible characters that change how text is shown or where a
link leads. The build then escapes text for the place where it lands.
"""

from __future__ import annotations

import re
import unicodedata

from .errors import ContentError

# Embeddings, overrides and isolates reorder text invisibly: a link text can be made to read
# differently from what it is ("Trojan Source"), worst in right-to-left pages.
BIDI_CONTROLS = frozenset([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
# Invisible in running text with no use in the site's languages. The zero-width non-joiner
# U+200C and joiner U+200D are NOT here: Persian, Pashto and Sorani need them.
INVISIBLE_IN_TEXT = frozenset([0x200B, 0x2028, 0x2029, 0x2060, 0xFEFF, *range(0xE0000, 0xE0080)])
# In addresses nothing invisible is legitimate: it makes dead links or look-alike addresses.
INVISIBLE_IN_URL = frozenset([0x00AD, 0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF])
ALLOWED_CONTROLS = frozenset("\t\n\r")

# Markup in a plain text: the start of a tag or comment, or a character reference.
# "Kinder < 12" and "A & B" are plain text and shown as typed.
MARKUP = re.compile(r"<\s*/?\s*[A-Za-z][A-Za-z0-9-]*|<\s*[!?]|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
# Markdown syntax that a data text would show as it is (data texts are not Markdown).
MARKDOWN_IN_TEXT = re.compile(r"\*\*|__|`|\[[^\]]*\]\(|^\s{0,3}#{1,6}\s|^\s{0,3}>\s|!\[")


def code_point_name(char: str) -> str:
    """U+202E (RIGHT-TO-LEFT OVERRIDE): how messages name an invisible character."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def is_forbidden_in_text(char: str) -> bool:
    code = ord(char)
    if code in BIDI_CONTROLS or code in INVISIBLE_IN_TEXT:
        return True
    return unicodedata.category(char) == "Cc" and char not in ALLOWED_CONTROLS


def _forbidden_pattern() -> re.Pattern:
    """is_forbidden_in_text as one character class of ranges (control characters, Cc, all lie below U+00A0)."""
    codes = sorted(BIDI_CONTROLS | INVISIBLE_IN_TEXT | {code for code in range(0xA0) if is_forbidden_in_text(chr(code))})
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return re.compile("[" + "".join(re.escape(chr(first)) + ("-" + re.escape(chr(last)) if last > first else "")
                                    for first, last in ranges) + "]")


FORBIDDEN_IN_TEXT = _forbidden_pattern()


def forbidden_characters(text: str) -> list[tuple[int, str]]:
    """(index, character) of every character that must not appear in editor text."""
    return [(match.start(), match.group()) for match in FORBIDDEN_IN_TEXT.finditer(text)]


def line_and_column(text: str, index: int, first_line: int = 1) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, index) + 1
    return first_line + text.count("\n", 0, index), index - line_start + 1


INVISIBLE_HINT = ("Löschen Sie das unsichtbare Zeichen (am sichersten: die Stelle neu tippen). Es entsteht oft beim "
                  "Kopieren aus Word, PDF oder Webseiten.")


def check_characters(text: str, file: str, first_line: int = 1, field: str | None = None,
                     line: int | None = None) -> None:
    """Raise a ContentError for the first character editors must not use (named by code point)."""
    found = forbidden_characters(text)
    if not found:
        return
    index, char = found[0]
    at_line, column = line_and_column(text, index, first_line)
    more = f" (und {len(found) - 1} weitere)" if len(found) > 1 else ""
    raise ContentError(file, f"Unsichtbares Steuerzeichen {code_point_name(char)} an Stelle {column}{more}.",
                       INVISIBLE_HINT, line or at_line, field)


def invisible_in_url(url: str) -> str | None:
    """The first character that has no place in an address, or None."""
    for char in url:
        if ord(char) in INVISIBLE_IN_URL or is_forbidden_in_text(char) or char.isspace():
            return char
    return None


def markup_in(text: str) -> str | None:
    """The markup found in a plain text (e.g. "<meta", "&amp;"), or None."""
    match = MARKUP.search(text)
    return match.group(0) if match else None


def markdown_in(text: str) -> str | None:
    match = MARKDOWN_IN_TEXT.search(text)
    return match.group(0).strip() if match else None
