"""One settings object, read from DESKHAND_* environment variables."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DESKHAND_", extra="ignore")

    data_dir: Path = Path("./deskhand-data")
    database_url: str = ""  # empty: SQLite file in data_dir
    demo: bool = False  # enables the dev outbox and demo seeding
    secret_key: str = Field(default="", repr=False)
    base_url: str = "http://127.0.0.1:8000"
    code_ttl_minutes: int = 10
    code_max_failures: int = 5
    code_lockout_minutes: int = 15
    codes_per_address_per_hour: int = 5
    codes_per_client_per_hour: int = 10
    messages_per_minute: int = 30
    conversations_per_minute: int = 20
    max_message_chars: int = 4000

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'deskhand.db').resolve()}"

    def resolved_secret_key(self) -> str:
        """The signing key; outside demo mode a real one must be configured."""
        if self.secret_key:
            if len(self.secret_key) < 32:
                raise ValueError("DESKHAND_SECRET_KEY must be at least 32 characters")
            return self.secret_key
        if not self.demo:
            raise ValueError("DESKHAND_SECRET_KEY is required outside demo mode")
        key_file = self.data_dir / "secret.key"
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(48))
        return key_file.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    return Settings()
