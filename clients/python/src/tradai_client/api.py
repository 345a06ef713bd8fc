"""Typed client of the platform's REST API (``/api/v1``).

Every call has a timeout. Reads, and POSTs (each carries an ``Idempotency-Key``, the same on its
retries, so the server carries a governed change out at most once), are tried again when the server
cannot be reached or answers 503, waiting what its ``Retry-After`` says (up to ``max_retry_after``)
or an exponential backoff with full jitter. PUT and DELETE are never retried: a lost answer does not say whether they happened.
Every error answer raises a ``TradaiError`` subclass (see ``tradai_client.errors``).

>>> api = TradaiClient("http://localhost:8000", token=os.environ["TRADAI_TOKEN"])
>>> version = api.create_config("StochRsiStrategy", {"stoploss": -0.02})
>>> api.activate("StochRsiStrategy", version["config_id"], environment="paper")
"""

from __future__ import annotations

import base64
import json
import os
import random
import time
import uuid
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, Callable, Mapping
from urllib.parse import quote

import requests

from .errors import ApprovalRequired, Conflict, TradaiError, Unavailable, Unreachable, problem_error

__all__ = ["Credentials", "Resolved", "TradaiClient", "basic_authorization"]

Json = dict[str, Any]
_UNSET: Any = object()


def basic_authorization(username: str, password: str) -> str:
    """An HTTP Basic header with user and password in UTF-8 (``requests`` alone would use Latin-1)."""
    return "Basic " + base64.b64encode(f"{username}:{password}".encode("utf-8")).decode("ascii")


@dataclass(frozen=True)
class Credentials:
    """A bearer token (service account, ``tradai login``, a worker's token), or a user's password."""

    token: str | None = None
    username: str | None = None
    password: str | None = None

    def __post_init__(self) -> None:
        if self.token is None and (self.username is None or self.password is None):
            raise ValueError("give a token, or a username and a password")

    @property
    def authorization(self) -> str:
        if self.token is not None:
            return f"Bearer {self.token}"
        return basic_authorization(self.username or "", self.password or "")

    def __repr__(self) -> str:  # never print a secret
        return "Credentials(token=***)" if self.token is not None else f"Credentials(username={self.username!r})"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Credentials:
        """``TRADAI_TOKEN``, else ``TRADAI_USER`` with ``TRADAI_PASSWORD`` (as the CLI reads them)."""
        env = os.environ if env is None else env
        if env.get("TRADAI_TOKEN"):
            return cls(token=env["TRADAI_TOKEN"])
        if env.get("TRADAI_USER") and env.get("TRADAI_PASSWORD") is not None:
            return cls(username=env["TRADAI_USER"], password=env["TRADAI_PASSWORD"])
        raise ValueError("set TRADAI_TOKEN, or TRADAI_USER and TRADAI_PASSWORD")


@dataclass(frozen=True)
class Resolved:
    """A strategy's resolved config in one environment; ``etag`` goes back as ``if_none_match``."""

    strategy: str
    environment: str
    config_version_id: str
    resolved_hash: str
    values: Json
    etag: str | None
    provenance: Json | None = None
    #: what the catalog warns of in these values (``key``, ``kind``, ``message``): a live worker refuses
    #: such a config, a paper one applies it and warns. Empty from a server that does not send them.
    warnings: list[Json] = field(default_factory=list)


class TradaiClient:
    """The REST API. ``timeout`` (seconds) bounds every call; ``retries`` more attempts where safe.

    ``url`` defaults to ``TRADAI_URL`` (else http://localhost:8000); without credentials given, it
    takes ``TRADAI_TOKEN``, or ``TRADAI_USER`` with ``TRADAI_PASSWORD``, as the CLI does.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        token: str | None = None,
        username: str | None = None,
        password: str | None = None,
        credentials: Credentials | None = None,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.25,
        max_backoff: float = 5.0,
        max_retry_after: float = 60.0,
        session: requests.Session | None = None,
        user_agent: str = "tradai-client-python",
    ) -> None:
        self.url = (url or os.environ.get("TRADAI_URL") or "http://localhost:8000").rstrip("/")
        if credentials is None and (token is not None or username is not None):
            credentials = Credentials(token=token, username=username, password=password)
        if credentials is None:  # as the CLI: TRADAI_TOKEN, or TRADAI_USER with TRADAI_PASSWORD, if set
            try:
                credentials = Credentials.from_env()
            except ValueError:
                credentials = None  # anonymous: health, metrics and login answer without credentials
        self.credentials = credentials
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_retry_after = max_retry_after
        self.session = session or requests.Session()
        self.user_agent = user_agent
        self._sleep: Callable[[float], None] = time.sleep

    # --- transport ------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, Any] | None = None,
        body: Any = _UNSET,
        headers: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """One call, retried where that is safe; an error answer raises its TradaiError."""
        sent = {"accept": "application/json", "user-agent": self.user_agent, **(headers or {})}
        if self.credentials is not None:
            sent["authorization"] = self.credentials.authorization
        data: bytes | None = None
        if body is not _UNSET:
            sent["content-type"] = "application/json"
            data = json.dumps(body, ensure_ascii=False, allow_nan=False).encode("utf-8")
        keyed = method == "POST"
        if keyed:
            sent["idempotency-key"] = str(uuid.uuid4())
        idempotent = method in ("GET", "HEAD") or keyed
        params = {k: _query_value(v) for k, v in (query or {}).items() if v is not None}
        for attempt in range(1, self.retries + 2):
            try:
                return self._send_once(method, path, params, data, sent)
            except TradaiError as error:
                retriable = isinstance(error, (Unreachable, Unavailable)) or (
                    keyed and isinstance(error, Conflict) and error.type.endswith(":idempotency-key-in-use")
                )
                if not idempotent or not retriable or attempt > self.retries:
                    raise
                self._sleep(self._delay(attempt, error.retry_after))
        raise AssertionError("unreachable")  # pragma: no cover

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        """What the server's Retry-After says (at most ``max_retry_after``), else backoff with full jitter."""
        if retry_after is not None:
            return min(self.max_retry_after, retry_after)
        return random.uniform(0, min(self.max_backoff, self.backoff * 2 ** (attempt - 1)))

    def _send_once(
        self, method: str, path: str, params: Mapping[str, str], data: bytes | None, headers: Mapping[str, str]
    ) -> requests.Response:
        try:
            response = self.session.request(
                method, self.url + path, params=params, data=data, headers=dict(headers), timeout=self.timeout
            )
        except requests.Timeout as error:
            raise Unreachable(
                "No answer", f"{method} {self.url}{path} did not answer within {self.timeout} s ({error})"
            ) from error
        except requests.RequestException as error:
            raise Unreachable(
                "Cannot reach the TradAI server", f"{self.url} ({error}); is it running? (npx tradai serve)"
            ) from error
        if response.status_code < 400:
            return response
        text = response.text
        try:
            problem = response.json() if text else None
        except ValueError:
            problem = None
        raise problem_error(
            response.status_code,
            problem if isinstance(problem, dict) else None,
            text,
            _retry_after(response.headers.get("retry-after")),
        )

    def _json(self, method: str, path: str, **kwargs: Any) -> Json:
        """The answer's JSON object (``{}`` for an empty answer)."""
        response = self.request(method, path, **kwargs)
        answer: Json = response.json() if response.content else {}
        return answer

    def _governed(self, method: str, path: str, **kwargs: Any) -> Json:
        """A change that may need approval: 202 raises ApprovalRequired with the change request."""
        response = self.request(method, path, **kwargs)
        answer: Json = response.json() if response.content else {}
        if response.status_code == 202 and isinstance(answer, dict) and "change_request" in answer:
            raise ApprovalRequired(answer["change_request"], bool(answer.get("created", True)))
        return answer

    # --- configs ----------------------------------------------------------------------------

    def health(self) -> Json:
        return self._json("GET", "/api/v1/health")

    def create_config(
        self,
        strategy: str,
        config_data: Mapping[str, Any],
        *,
        description: str | None = None,
        environment: str | None = None,
    ) -> Json:
        """A new immutable version (``deduplicated``: identical content existed, that version is returned)."""
        body: Json = {"strategy_name": strategy, "config_data": dict(config_data)}
        if description is not None:
            body["description"] = description
        return self._json("POST", "/api/v1/configs", query={"environment": environment}, body=body)

    def list_strategies(self) -> Json:
        return self._json("GET", "/api/v1/configs")

    def list_configs(
        self,
        strategy: str,
        *,
        environment: str | None = None,
        status: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> Json:
        query = {"environment": environment, "status": status, "limit": limit, "offset": offset}
        return self._json("GET", f"/api/v1/configs/{_seg(strategy)}", query=query)

    def get_config(self, strategy: str, config_id: str, *, environment: str | None = None) -> Json:
        return self._json(
            "GET", f"/api/v1/configs/{_seg(strategy)}/{_seg(config_id)}", query={"environment": environment}
        )

    def activate(
        self,
        strategy: str,
        config_id: str,
        *,
        environment: str | None = None,
        expected_active: str | None = _UNSET,
        freeze_override_reason: str | None = None,
    ) -> Json:
        """Makes the version active. Raises ApprovalRequired (202), PreconditionFailed (412), Frozen (423)."""
        body: Json = {}
        if expected_active is not _UNSET:
            body["expected_active"] = expected_active
        if freeze_override_reason is not None:
            body["freeze_override_reason"] = freeze_override_reason
        return self._governed(
            "POST",
            f"/api/v1/configs/{_seg(strategy)}/{_seg(config_id)}/activate",
            query={"environment": environment},
            body=body,
        )

    def promote(
        self, strategy: str, config_id: str, *, source: str, target: str, freeze_override_reason: str | None = None
    ) -> Json:
        """Activates in ``target`` the version active in ``source``."""
        body: Json = {"from": source, "to": target}
        if freeze_override_reason is not None:
            body["freeze_override_reason"] = freeze_override_reason
        return self._governed("POST", f"/api/v1/configs/{_seg(strategy)}/{_seg(config_id)}/promote", body=body)

    def rollback(
        self, strategy: str, *, environment: str | None = None, freeze_override_reason: str | None = None
    ) -> Json:
        """Re-activates the version the active one superseded."""
        kwargs: Json = {"query": {"environment": environment}}
        if freeze_override_reason is not None:
            kwargs["body"] = {"freeze_override_reason": freeze_override_reason}
        return self._governed("POST", f"/api/v1/configs/{_seg(strategy)}/rollback", **kwargs)

    def deprecate(
        self, strategy: str, config_id: str, *, reason: str | None = None, environment: str | None = None
    ) -> Json:
        kwargs: Json = {"query": {"environment": environment}}
        if reason is not None:
            kwargs["body"] = {"reason": reason}
        return self._json("POST", f"/api/v1/configs/{_seg(strategy)}/{_seg(config_id)}/deprecate", **kwargs)

    # --- resolution ---------------------------------------------------------------------------

    def resolve(
        self,
        strategy: str,
        *,
        environment: str | None = None,
        if_none_match: str | None = None,
        explain: bool = False,
    ) -> Resolved | None:
        """The resolved config, or None when it still has the entity tag ``if_none_match`` (304)."""
        headers = {}
        if if_none_match:
            tag = if_none_match if if_none_match.startswith('"') else f'"{if_none_match}"'
            headers["if-none-match"] = tag
        query = {"environment": environment, "explain": "true" if explain else None}
        response = self.request("GET", f"/api/v1/resolve/{_seg(strategy)}", query=query, headers=headers)
        if response.status_code == 304:
            return None
        answer = response.json()
        return Resolved(
            strategy=answer["strategy"],
            environment=answer["environment"],
            config_version_id=answer["config_version_id"],
            resolved_hash=answer["resolved_hash"],
            values=answer["values"],
            etag=response.headers.get("etag"),
            provenance=answer.get("provenance"),
            warnings=list(answer.get("warnings") or []),
        )

    def get_environment_base(self, environment: str) -> Json:
        return self._json("GET", f"/api/v1/environments/{_seg(environment)}/base")

    # --- catalog ------------------------------------------------------------------------------

    def catalog(self, *, strategy: str | None = None, group: str | None = None, deprecated: bool | None = None) -> Json:
        """The catalog's parameters (``items``: each with its ``parameter`` definition) and its revision."""
        query = {"strategy": strategy, "group": group, "deprecated": deprecated}
        return self._json("GET", "/api/v1/catalog", query=query)

    def get_parameter(self, name: str) -> Json:
        return self._json("GET", f"/api/v1/catalog/parameters/{_seg(name)}")

    def create_parameter(self, definition: Mapping[str, Any], *, force_reason: str | None = None) -> Json:
        """A new catalog parameter (a governed change: may raise ApprovalRequired)."""
        return self._governed("POST", "/api/v1/catalog", query={"force_reason": force_reason}, body=dict(definition))

    def update_parameter(self, definition: Mapping[str, Any], *, force_reason: str | None = None) -> Json:
        """Replaces a parameter's definition (``changed: false`` when identical)."""
        return self._governed(
            "PUT",
            f"/api/v1/catalog/parameters/{_seg(str(definition['name']))}",
            query={"force_reason": force_reason},
            body=dict(definition),
        )

    # --- runs -----------------------------------------------------------------------------------

    def submit_backtest(
        self,
        config: Mapping[str, Any],
        *,
        experiment_name: str | None = None,
        priority: int | None = None,
        environment: str | None = None,
    ) -> Json:
        """Queues a backtest; the values are validated by the catalog and bound to a parameter set."""
        body: Json = {"config": dict(config)}
        if experiment_name is not None:
            body["experiment_name"] = experiment_name
        if priority is not None:
            body["priority"] = priority
        return self._json("POST", "/api/v1/backtests", query={"environment": environment}, body=body)

    def get_run(self, job_id: str) -> Json:
        return self._json("GET", f"/api/v1/backtests/{_seg(job_id)}")

    def list_runs(
        self,
        *,
        strategy: str | None = None,
        status: str | None = None,
        config_version_id: str | None = None,
        parameter_set_hash: str | None = None,
        experiment: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> Json:
        query = {
            "strategy": strategy,
            "status": status,
            "config_version_id": config_version_id,
            "parameter_set_hash": parameter_set_hash,
            "experiment": experiment,
            "limit": limit,
            "offset": offset,
        }
        return self._json("GET", "/api/v1/backtests", query=query)

    def rerun(self, job_id: str) -> Json:
        """The same run again: the same parameter set, code and data."""
        return self._json("POST", f"/api/v1/backtests/{_seg(job_id)}/rerun")

    def cancel_run(self, job_id: str) -> Json:
        return self._json("POST", f"/api/v1/backtests/{_seg(job_id)}/cancel")

    def wait_for_run(self, job_id: str, *, timeout: float = 600.0, interval: float = 1.0) -> Json:
        """Polls until the run ends (completed, failed or cancelled); raises TimeoutError after ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            run = self.get_run(job_id)
            if run["status"] in ("completed", "failed", "cancelled"):
                return run
            if time.monotonic() > deadline:
                raise TimeoutError(f"run {job_id} is still {run['status']} after {timeout} s")
            self._sleep(interval)

    # --- parameter sets, workers, sessions -----------------------------------------------------

    def get_parameter_set(self, hash: str) -> Json:
        return self._json("GET", f"/api/v1/parameter-sets/{_seg(hash)}")

    def diff_parameter_sets(self, a: str, b: str) -> Json:
        return self._json("GET", f"/api/v1/parameter-sets/{_seg(a)}/diff/{_seg(b)}")

    def list_workers(self, *, environment: str | None = None) -> list[Json]:
        return list(self._json("GET", "/api/v1/workers", query={"environment": environment})["items"])

    def list_sessions(self, **query: Any) -> Json:
        """Paper and live sessions (filters: worker, environment, strategy, kind, status, at, limit, offset)."""
        return self._json("GET", "/api/v1/sessions", query=query)

    def get_session(self, session_id: str) -> Json:
        return self._json("GET", f"/api/v1/sessions/{_seg(session_id)}")

    def create_token(
        self, name: str, roles: list[str], *, environments: list[str] | None = None, expires_in_days: int | None = None
    ) -> Json:
        """A service token (admin): the answer's ``token`` is the secret, shown this once. A worker's role is ``worker``."""
        body: Json = {"name": name, "roles": roles}
        if environments is not None:
            body["environments"] = environments
        if expires_in_days is not None:
            body["expires_in_days"] = expires_in_days
        return self._json("POST", "/api/v1/tokens", body=body)


def _seg(value: str) -> str:
    return quote(value, safe="")


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _retry_after(header: str | None) -> float | None:
    """Retry-After in seconds: delta-seconds, or an HTTP date (RFC 9110 10.2.3)."""
    if header is None:
        return None
    try:
        seconds = float(header)
    except ValueError:
        try:
            when = parsedate_to_datetime(header)
        except (TypeError, ValueError):
            return None
        seconds = when.timestamp() - time.time()
        return max(0.0, seconds)
    return seconds if seconds >= 0 else None
