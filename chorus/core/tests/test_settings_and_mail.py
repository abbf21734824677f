"""Start-up refuses missing production settings; check --deploy is clean; dev mail to files."""

from __future__ import annotations

import os
import subprocess
import sys
from email import message_from_bytes
from pathlib import Path

import pytest
from django.conf import settings
from django.core.mail import send_mail

ROOT = Path(settings.BASE_DIR)
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 64 + "-production-secret-with-enough-entropy-0123456789",
    "DATABASE_URL": "postgres://chorus:secret@db.internal:5432/chorus",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "ALLOWED_HOSTS": "chorus.example.org",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "CHORUS_TESTING",
            "DATABASE_URL",
            "REDIS_URL",
            "DEBUG",
            "SECRET_KEY",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_reports_nothing_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)

    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"])
def test_missing_production_setting_stops_start_up_and_is_named(missing: str):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}

    result = _manage("check", env=env)

    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


def test_secret_can_come_from_a_file(tmp_path: Path):
    secret_file = tmp_path / "secret"
    secret_file.write_text("y" * 64 + "-from-file-secret-with-enough-entropy-0123456789\n")
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    env["SECRET_KEY_FILE"] = str(secret_file)

    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stderr


def test_sqlite_is_refused():
    env = {**PRODUCTION, "DATABASE_URL": "sqlite:///tmp/db.sqlite3"}

    result = _manage("check", env=env)

    assert result.returncode != 0
    assert "DATABASE_URL must point to PostgreSQL" in result.stderr


def test_development_mail_is_written_to_the_mail_folder(mail_dir: Path, capsys):
    send_mail("Bonjour", "Lien : https://example.test/x", "from@example.test", ["to@example.test"])

    files = list(mail_dir.glob("*.eml"))
    assert len(files) == 1
    message = message_from_bytes(files[0].read_bytes())
    assert message["To"] == "to@example.test"
    assert message["Subject"] == "Bonjour"
    assert "Bonjour" in capsys.readouterr().out
