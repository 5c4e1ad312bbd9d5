"""Shared logic of the Erkrath integration site.

Imported by the MkDocs hooks in ``overrides/hooks`` and by the editor and CI
scripts in ``scripts/``, so that every concept (reading data files, translation
state, languages) has exactly one implementation.
"""
