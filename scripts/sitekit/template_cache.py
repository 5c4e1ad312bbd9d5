"""Theme templates compiled once per process instead of once per language.

The i18n plugin runs a complete MkDocs build per language, and each pass creates a new
Jinja environment that compiles every theme template again (about a fifth of a whole
build of today's site). Jinja can keep the compiled code in a bytecode cache; this one
lives in memory, so nothing is written to disk and nothing outlives the process. Jinja
checks each template's source against a checksum before it uses cached code, so a
template edited while `mkdocs serve` runs is compiled again.
"""

from __future__ import annotations

import jinja2


class MemoryBytecodeCache(jinja2.BytecodeCache):
    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # ignored by Jinja if the source changed (checksum)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._code.clear()

    def __len__(self) -> int:
        return len(self._code)


CACHE = MemoryBytecodeCache()


def use_cache(env: jinja2.Environment, cache: MemoryBytecodeCache = CACHE) -> jinja2.Environment:
    env.bytecode_cache = cache
    return env


def use_plain_json(env: jinja2.Environment) -> jinja2.Environment:
    """``tojson`` writes letters as they are instead of ``\\uXXXX`` escapes (Material's page
    configuration carries its UI texts: six bytes per Cyrillic or Arabic letter instead of two).
    Jinja still escapes ``< > & '``, so the output stays safe inside a script element."""
    env.policies["json.dumps_kwargs"] = {**env.policies.get("json.dumps_kwargs", {}), "ensure_ascii": False}
    return env
