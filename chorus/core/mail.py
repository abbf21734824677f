"""Development e-mail delivery: every message to the console and to ``var/mail/``.

A newcomer who signs up on ``make run`` finds the verification link in a file they can open,
without any SMTP server. Production configures ``EMAIL_URL`` instead.
"""

from __future__ import annotations

import datetime
import os
import sys
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


class ConsoleAndFileEmailBackend(BaseEmailBackend):
    """Writes each message as its own ``.eml`` file and echoes it to standard output."""

    def __init__(self, *args: Any, file_path: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.file_path = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        self.file_path.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            data = message.message().as_bytes()
            stamp = datetime.datetime.now(tz=datetime.UTC).strftime("%Y%m%d-%H%M%S-%f")
            final = self.file_path / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
            partial = final.with_suffix(".part")
            partial.write_bytes(data)
            os.replace(partial, final)
            sys.stdout.write(data.decode("utf-8", "replace") + "\n" + "-" * 79 + "\n")
            sys.stdout.flush()
            sent += 1
        return sent
