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

__all__ = ["DocIndex", "Path"]

Path = tuple[str, ...]
"""Clark tags from the root's child down to the element (the root itself excluded)."""


class DocIndex:
    """Elements of a document grouped by path (document order within a parent)."""

    __slots__ = ("by_path", "root")

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        by_path: dict[Path, list[etree._Element]] = {}
        # Buckets are found by (parent bucket number, tag): hashing an int and one tag is
        # cheaper than hashing and comparing a whole path tuple for every element. The
        # walk is recursive (depth <= 256, libxml2's limit without huge_tree), so no
        # getparent() nor element -> path dict; children are visited in document order.
        numbers: dict[tuple[int, str], int] = {}
        buckets: list[list[etree._Element]] = []
        paths: list[Path] = []

        def walk(parent: etree._Element, parent_number: int, parent_path: Path) -> None:
            for el in parent:
                tag = el.tag
                if type(tag) is not str:
                    continue  # comment, processing instruction, entity
                key = (parent_number, tag)
                number = numbers.get(key)
                if number is None:
                    number = numbers[key] = len(buckets)
                    path: Path = (*parent_path, tag)
                    bucket = [el]
                    buckets.append(bucket)
                    paths.append(path)
                    by_path[path] = bucket
                else:
                    buckets[number].append(el)
                    path = paths[number]
                if len(el):
                    walk(el, number, path)

        walk(root, -1, ())
        self.by_path = by_path

    def count(self, path: Path) -> int:
        bucket = self.by_path.get(path)
        return len(bucket) if bucket else 0

    def get(self, path: Path) -> list[etree._Element]:
        return self.by_path.get(path) or []
