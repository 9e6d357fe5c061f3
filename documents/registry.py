"""Which template and context builder make each kind of document. Builders
register themselves by kind with @document_kind; the builder modules are
imported once, on first use, so this module imports nothing of the apps the
builders read."""

from collections.abc import Callable
from dataclasses import dataclass

from documents.kinds import DocumentKind


@dataclass(frozen=True)
class DocumentSpec:
    kind: DocumentKind
    template: str
    build: Callable[..., dict]


_SPECS: dict[DocumentKind, DocumentSpec] = {}


def document_kind(kind: DocumentKind, template: str):
    """Register the decorated function as the context builder of `kind`."""

    def decorator(build: Callable[..., dict]) -> Callable[..., dict]:
        _SPECS[DocumentKind(kind)] = DocumentSpec(DocumentKind(kind), template, build)
        return build

    return decorator


def _load_builders() -> None:
    """Import every builder module, which registers its builders."""
    from documents.builders import (  # noqa: F401
        certificate,
        decision,
        evidence,
        intake,
        review,
        transfer,
    )


def document_spec(kind: DocumentKind | str) -> DocumentSpec:
    """The spec of a kind; KeyError for a kind with no builder."""
    kind = DocumentKind(kind)
    if kind not in _SPECS:
        _load_builders()
    return _SPECS[kind]


def registered_kinds() -> list[DocumentKind]:
    _load_builders()
    return list(_SPECS)
