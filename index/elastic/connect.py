"""The Elasticsearch client for a store's settings; secrets come from the environment only."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from elasticsearch import Elasticsearch

from core.config import StoreSettings
from core.errors import ConfigError
from index.elastic.lean_http import LeanHttpConnection
from index.elastic.serializer import OrjsonSerializer


@dataclass(frozen=True)
class EsConfig:
    """Where the cluster is and how to log in (never written to a config file)."""

    url: str
    prefix: str = "govwatch"
    user: str = ""
    password: str = ""
    api_key: str = ""
    ca_cert: str = ""
    spool: str = "data/es-spool.db"
    timeout: float = 30.0

    @property
    def shard_wait(self) -> str:
        """How long a bulk request waits for an unavailable shard before its items answer 503 (ES's default, a
        minute, is longer than `timeout`: the client would give up first and take the cluster for away)."""
        return f"{int(self.timeout * 2000 / 3)}ms"  # 20 s for the default 30 s

    @classmethod
    def from_settings(cls, store: StoreSettings) -> EsConfig:
        """The settings' [store] es_* values plus GOVWATCH_ES_PASSWORD / GOVWATCH_ES_API_KEY."""
        if not store.es_url:
            raise ConfigError("store.backend = 'elasticsearch' needs store.es_url (or GOVWATCH_ES_URL)")
        if store.es_ca_cert and not Path(store.es_ca_cert).is_file():
            raise ConfigError(f"store.es_ca_cert: {store.es_ca_cert}: file not found")
        return cls(
            url=store.es_url, prefix=store.es_prefix or "govwatch", user=store.es_user,
            password=os.environ.get("GOVWATCH_ES_PASSWORD", ""), api_key=os.environ.get("GOVWATCH_ES_API_KEY", ""),
            ca_cert=store.es_ca_cert, spool=store.es_spool,
        )


def make_client(config: EsConfig) -> Elasticsearch:
    """A client for `config`; the backend does its own retries (writer.py), so the client does few. Its JSON
    is orjson's (serializer.py), its plain-http round trips skip urllib3 (lean_http.py)."""
    # elasticsearch-py 7.17 spells these timeout / http_auth (8.x: request_timeout / basic_auth)
    kwargs: dict[str, Any] = {"timeout": config.timeout, "max_retries": 0, "retry_on_timeout": False,
                              "serializer": OrjsonSerializer(), "connection_class": LeanHttpConnection}
    if config.api_key:
        kwargs["api_key"] = config.api_key
    elif config.user:
        kwargs["http_auth"] = (config.user, config.password)
    if config.ca_cert:
        kwargs["ca_certs"] = config.ca_cert
    return Elasticsearch(config.url, **kwargs)
