"""One walk over a parsed document, indexed by element path and by tag.

Syntax rules mostly ask "is there an element at this path", "how many", or "check every
element whose name ends with ...". Answering them from an index built in a single pass
(a dict of path -> elements) turns hundreds of small tree walks into dictionary and set
operations, which is where the time goes in Python.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["DocIndex", "Path", "kid_map"]

Path = tuple[str, ...]
"""Clark tags from the root's child down to the element (the root itself excluded)."""


class DocIndex:
    """Elements of a document grouped by path (document order within a parent)."""

    __slots__ = ("by_path", "root")

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        by_path: dict[Path, list[etree._Element]] = {}
        get = by_path.get
        # root.iter() runs in C and yields document order; each element's path is its
        # parent's path plus its tag (lxml hands back the same proxy for the same node
        # while it is referenced, so the parent lookup hits).
        path_of: dict[etree._Element, Path] = {root: ()}
        parent_path = path_of.__getitem__
        elements = root.iter()
        next(elements)
        for el in elements:
            tag = el.tag
            if not isinstance(tag, str):
                continue
            sub = (*parent_path(el.getparent()), tag)  # type: ignore[arg-type]
            bucket = get(sub)
            if bucket is None:
                by_path[sub] = [el]
            else:
                bucket.append(el)
            path_of[el] = sub
        self.by_path = by_path

    def count(self, path: Path) -> int:
        bucket = self.by_path.get(path)
        return len(bucket) if bucket else 0

    def get(self, path: Path) -> list[etree._Element]:
        return self.by_path.get(path) or []


def kid_map(el: etree._Element) -> dict[str, list[etree._Element]]:
    """Children of ``el`` grouped by tag (document order): one walk for many lookups."""
    kids: dict[str, list[etree._Element]] = {}
    for c in el:
        bucket = kids.get(c.tag)
        if bucket is None:
            kids[c.tag] = [c]
        else:
            bucket.append(c)
    return kids
