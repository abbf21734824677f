"""Read zip and tar.gz deposits safely: bounded entry count, size and ratio, no path tricks.

An archive is a batch of invoices (Chorus Pro accepts zip and tar.gz). Nothing is extracted
to disk: entries are read into memory one at a time, each within the deposit limits, so a
zip bomb or a ``../`` name can neither fill the disk nor escape the storage.
"""

from __future__ import annotations

import io
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from chorus.core.uploads import upload_path_in
from invoices.einvoice.i18n import Message, gettext_noop
from invoices.services.limits import (
    MAX_ARCHIVE_ENTRIES,
    MAX_ARCHIVE_RATIO,
    MAX_DEPOSIT_BYTES,
    MAX_FILE_NAME_LENGTH,
)


class ArchiveRefused(Exception):
    """The archive as a whole is refused; ``code`` and messages go to the integration report."""

    def __init__(self, code: str, message: Message) -> None:
        super().__init__(message.render())
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ArchiveEntry:
    name: str
    data: bytes


def is_archive(name: str, data: bytes) -> bool:
    lowered = name.lower()
    if lowered.endswith(".zip") or data[:4] == b"PK\x03\x04":
        return True
    return lowered.endswith((".tar.gz", ".tgz")) or data[:2] == b"\x1f\x8b"


def _check_name(name: str) -> None:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or name.startswith(("/", "\\")) or ":" in name:
        raise ArchiveRefused(
            "CHORUS-ARCHIVE-PATH",
            Message.of(
                gettext_noop(
                    "The archive holds a forbidden path (%(name)s): remove folders and absolute "
                    "paths, put the invoices at the root of the archive."
                ),
                name=name,
            ),
        )


def _too_many() -> ArchiveRefused:
    return ArchiveRefused(
        "CHORUS-ARCHIVE-ENTRIES",
        Message.of(
            gettext_noop(
                "The archive holds more than %(max_archive_entries)s files: split it into several "
                "deposits."
            ),
            max_archive_entries=MAX_ARCHIVE_ENTRIES,
        ),
    )


def _too_big() -> ArchiveRefused:
    return ArchiveRefused(
        "CHORUS-ARCHIVE-SIZE",
        Message(
            gettext_noop(
                "Once expanded, the archive exceeds 120 MB (or a file is abnormally compressed): "
                "split it into several deposits."
            )
        ),
    )


def iter_archive(name: str, data: bytes) -> Iterator[ArchiveEntry]:
    """Yield the files of a zip or tar.gz archive, refusing the whole archive on any trick."""
    if name.lower().endswith(".zip") or data[:4] == b"PK\x03\x04":
        yield from _iter_zip(data)
    else:
        yield from _iter_tar(data)


def _iter_zip(data: bytes) -> Iterator[ArchiveEntry]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise _unreadable() from exc
    infos = [info for info in archive.infolist() if not info.is_dir()]
    if len(infos) > MAX_ARCHIVE_ENTRIES:
        raise _too_many()
    declared = 0
    for info in infos:
        _check_name(info.filename)
        declared += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if declared > MAX_DEPOSIT_BYTES or ratio > MAX_ARCHIVE_RATIO:
            raise _too_big()
    total = 0
    for info in infos:
        with archive.open(info) as handle:
            content = handle.read(info.file_size + 1)
        total += len(content)
        if len(content) > info.file_size or total > MAX_DEPOSIT_BYTES:
            raise _too_big()
        yield ArchiveEntry(_leaf(info.filename), content)


def _iter_tar(data: bytes) -> Iterator[ArchiveEntry]:
    try:
        archive = tarfile.open(fileobj=io.BytesIO(data), mode="r:*")  # noqa: SIM115
        members = archive.getmembers()
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise _unreadable() from exc
    files = []
    for member in members:
        if member.isdir():
            continue
        if not member.isfile():
            raise ArchiveRefused(
                "CHORUS-ARCHIVE-LINK",
                Message.of(
                    gettext_noop(
                        "The archive holds a link or special file (%(name)s): put only regular "
                        "files in it."
                    ),
                    name=member.name,
                ),
            )
        _check_name(member.name)
        files.append(member)
    if len(files) > MAX_ARCHIVE_ENTRIES:
        raise _too_many()
    if sum(member.size for member in files) > MAX_DEPOSIT_BYTES or (
        sum(member.size for member in files) > MAX_ARCHIVE_RATIO * max(len(data), 1)
    ):
        raise _too_big()
    for member in files:
        handle = archive.extractfile(member)
        if handle is None:
            continue
        yield ArchiveEntry(_leaf(member.name), handle.read(member.size))


def _leaf(name: str) -> str:
    leaf = PurePosixPath(name.replace("\\", "/")).name
    return leaf[:255]


def _unreadable() -> ArchiveRefused:
    return ArchiveRefused(
        "CHORUS-ARCHIVE-UNREADABLE",
        Message(
            gettext_noop(
                "The archive is unreadable or truncated: create it again as zip or tar.gz."
            )
        ),
    )


def file_name_problem(name: str) -> Message | None:
    """Chorus Pro's file-name rule (≤ 50 characters, with an extension), or None when fine."""
    if upload_path_in(name):
        return Message.of(
            gettext_noop(
                "The file name '%(name)s' holds a folder path (/, \\ or ..): rename the file "
                "and deposit it again."
            ),
            name=name,
        )
    if len(name) > MAX_FILE_NAME_LENGTH:
        return Message.of(
            gettext_noop(
                "The file name '%(name)s' is longer than %(limit)s characters (extension "
                "included): shorten it."
            ),
            name=name,
            limit=MAX_FILE_NAME_LENGTH,
        )
    if "." not in name.strip(".")[1:]:
        return Message.of(
            gettext_noop("The file name '%(name)s' has no extension: add .xml or .pdf."), name=name
        )
    return None
