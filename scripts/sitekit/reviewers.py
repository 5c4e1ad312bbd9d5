"""Who may be named as reviewer of a translation (data/reviewers.yml): roles and organisations only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import ContentError
from .fields import list_field, localized_text, require_mapping, slug_field, unknown_fields
from .yamlfile import load_yaml

if TYPE_CHECKING:
    from .site import Site


@dataclass(frozen=True)
class Reviewer:
    id: str
    name: dict[str, str]


@dataclass(frozen=True)
class Reviewers:
    by_id: dict[str, Reviewer]

    @property
    def ids(self) -> list[str]:
        return list(self.by_id)

    def find(self, key: str) -> Reviewer | None:
        return self.by_id.get(key.strip())


def load_reviewers(site: "Site") -> Reviewers:
    path = site.data_dir / "reviewers.yml"
    name = site.display(path)
    data = require_mapping(load_yaml(path, name) or {}, name, "Die Datei")
    unknown_fields(data, {"reviewers"}, name)
    found: dict[str, Reviewer] = {}
    for raw in list_field(data, "reviewers", name, optional=True):
        raw = require_mapping(raw, name, "Jeder Eintrag unter „reviewers:“")
        unknown_fields(raw, {"id", "name"}, name)
        reviewer_id = slug_field(raw, "id", name)
        if reviewer_id in found:
            raise ContentError(name, f"Die Kennung „{reviewer_id}“ kommt zweimal vor.", "Geben Sie jedem Eintrag eine eigene Kennung.",
                               raw.line_of("id"), "id")
        found[reviewer_id] = Reviewer(reviewer_id, localized_text(raw, "name", name))
    return Reviewers(found)
