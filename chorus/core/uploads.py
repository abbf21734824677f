"""What an uploaded file really is: its name is safe and its bytes match its extension.

The extension and the browser's ``Content-Type`` are only hints (security.md U4, ASVS
5.2.2): a Windows program renamed ``.pdf`` is refused, as is a name that tries to climb
out of a folder. One check for every upload of the portal (support attachments, documents
added to a suspended invoice, entry attachments); each caller keeps its own list of
extensions and sizes.
"""

from __future__ import annotations

import html
import io
import unicodedata
import zipfile
from collections.abc import Callable

from django.utils.translation import gettext as _

from chorus.core.exceptions import DomainError

__all__ = ["keep_path_visible", "upload_content_check", "upload_name_check", "upload_path_in"]

# Django's upload parser silently keeps only the last part of a name with a path in it
# (``../../x.pdf`` arrives as ``x.pdf``). :func:`keep_path_visible` makes it keep the path
# with look-alike characters that are not separators, so the name stays harmless for
# storage and :func:`upload_name_check` can refuse it and say why.
_SLASH, _BACKSLASH = "\u2215", "\u29f5"


def keep_path_visible() -> None:
    """Install the parser change (once, from ``CoreConfig.ready``)."""
    from django.http.multipartparser import MultiPartParser

    original = MultiPartParser.sanitize_file_name
    if getattr(original, "_keeps_path", False):
        return

    def sanitize_file_name(self: MultiPartParser, file_name: str) -> str | None:
        unescaped = html.unescape(file_name)
        if "/" in unescaped or "\\" in unescaped:
            visible = unescaped.replace("/", _SLASH).replace("\\", _BACKSLASH)
            return "".join(char for char in visible if char.isprintable()) or None
        result: str | None = original(self, file_name)
        return result

    sanitize_file_name._keeps_path = True  # type: ignore[attr-defined]
    MultiPartParser.sanitize_file_name = sanitize_file_name  # type: ignore[method-assign]


SNIFF_BYTES = 8192

# Programs, whatever they are called: never accepted.
_EXECUTABLE_MAGIC = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa",
    b"\xcf\xfa\xed\xfe",
    b"#!",
    b"\xca\xfe\xba\xbe",
)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_GZIP = b"\x1f\x8b"


def _starts(*magics: bytes) -> Callable[[bytes, bytes], bool]:
    return lambda head, data: head.startswith(magics)


def _tiff(head: bytes, data: bytes) -> bool:
    return head.startswith((b"II*\x00", b"MM\x00*"))


def _is_text(head: bytes, data: bytes) -> bool:
    if b"\x00" in head:
        return head.startswith((b"\xff\xfe", b"\xfe\xff"))  # UTF-16 with its mark
    return True


def _ooxml(head: bytes, data: bytes) -> bool:
    """A Word/Excel/PowerPoint or OpenDocument file: a zip holding its manifest."""
    if not head.startswith(_ZIP):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return "[Content_Types].xml" in names or "mimetype" in names or "META-INF/manifest.xml" in names


def _pdf(head: bytes, data: bytes) -> bool:
    """``%PDF-`` at offset 0, and qpdf can open it (a real parse, not only the magic)."""
    if not head.startswith(b"%PDF-"):
        return False
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)):
            return True
    except pikepdf.PasswordError:
        return True  # a real PDF; whether encryption is allowed is the caller's rule
    except (pikepdf.PdfError, ValueError, OSError):
        return False


_TEXT = _is_text
_CHECKS: dict[str, Callable[[bytes, bytes], bool]] = {
    "pdf": _pdf,
    "png": _starts(b"\x89PNG\r\n\x1a\n"),
    "jpg": _starts(b"\xff\xd8\xff"),
    "jpeg": _starts(b"\xff\xd8\xff"),
    "gif": _starts(b"GIF87a", b"GIF89a"),
    "bmp": _starts(b"BM"),
    "tif": _tiff,
    "tiff": _tiff,
    "fax": _tiff,
    "zip": _starts(*_ZIP),
    "gz": _starts(_GZIP),
    "gzip": _starts(_GZIP),
    "tgz": _starts(_GZIP),
    "bz2": _starts(b"BZh"),
    "doc": _starts(_OLE2),
    "xls": _starts(_OLE2),
    "ppt": _starts(_OLE2),
    "pps": _starts(_OLE2),
    "xlc": _starts(_OLE2),
    "xlm": _starts(_OLE2),
    "docx": _ooxml,
    "xlsx": _ooxml,
    "pptx": _ooxml,
    "odt": _ooxml,
    "ods": _ooxml,
    "odp": _ooxml,
    "rtf": _starts(b"{\\rtf"),
    "p7s": _starts(b"\x30"),
    "txt": _TEXT,
    "csv": _TEXT,
    "xml": _TEXT,
    "svg": _TEXT,
    "xhtml": _TEXT,
    "html": _TEXT,
    "htm": _TEXT,
}


def upload_path_in(name: str) -> bool:
    """Whether a file name tries to carry a folder path (seen through the parser change)."""
    return (
        any(mark in name for mark in ("/", "\\", _SLASH, _BACKSLASH))
        or name in (".", "..")
        or name.startswith("..")
    )


def upload_name_check(name: str) -> str:
    """The file name itself, refused (with a message naming it) if it holds a path.

    Names are never cleaned silently: ``../facture.pdf`` is refused, not saved as
    ``facture.pdf``, so the user knows what happened to the file they sent.
    """
    if not name or not name.strip():
        raise DomainError(_("The file has no name: give it one with an extension."))
    if upload_path_in(name):
        raise DomainError(
            _("%(name)s: a file name may not contain a folder path (/, \\ or ..): rename it.")
            % {"name": name.replace(_SLASH, "/").replace(_BACKSLASH, "\\")},
            code="FILE_NAME_PATH",
        )
    if any(unicodedata.category(char) in ("Cc", "Cf") for char in name):
        raise DomainError(
            _("%(name)s: the file name contains invisible control characters: rename it.")
            % {"name": name.encode("unicode_escape").decode()},
            code="FILE_NAME_CONTROL",
        )
    return name


def upload_content_check(name: str, data: bytes) -> None:
    """Refuse a file whose bytes are not what its extension says (or are a program)."""
    head = data[:SNIFF_BYTES]
    if head.startswith(_EXECUTABLE_MAGIC):
        raise DomainError(
            _("%(name)s: this file is a program, which is never accepted.") % {"name": name},
            code="FILE_EXECUTABLE",
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    check = _CHECKS.get(extension)
    if check is not None and not check(head, data):
        raise DomainError(
            _(
                "%(name)s: the content of the file is not a %(type)s file, whatever its name "
                "says: send the document itself."
            )
            % {"name": name, "type": extension.upper()},
            code="FILE_CONTENT_MISMATCH",
        )


def safe_file_name(name: str) -> str:
    """An RFC 6266-friendly download name: no path, no quotes, no control characters."""
    cleaned = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    return cleaned[:120] or "document"
