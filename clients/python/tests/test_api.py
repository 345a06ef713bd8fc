"""The API client against a real ``tradai serve``: every call, typed errors, ETags, UTF-8 credentials."""

from __future__ import annotations

import pytest

from conftest import unique
from platform_process import Platform
from tradai_client import (
    ApprovalRequired,
    Conflict,
    Forbidden,
    Frozen,
    NotFound,
    PreconditionFailed,
    TradaiClient,
    TradaiError,
    Unauthenticated,
    ValidationError,
    content_hash,
)


@pytest.fixture(scope="module")
def catalogued(admin: TradaiClient) -> str:
    """A strategy with two catalogued parameters and a first version active in dev."""
    strategy = unique("ApiStrategy")
    for definition in (
        {"name": "api.stoploss", "type": "number", "description": "Stop", "min": -0.5, "max": 0, "reload": "hot"},
        {"name": "api.exchange", "type": "string", "description": "Venue", "reload": "restart"},
    ):
        admin.create_parameter(definition)
    first = admin.create_config(strategy, {"api": {"stoploss": -0.1, "exchange": "binance"}})
    admin.activate(strategy, first["config_id"], environment="dev")
    return strategy


def test_configs_create_list_get_activate_rollback_deprecate(admin: TradaiClient, catalogued: str) -> None:
    created = admin.create_config(catalogued, {"api": {"stoploss": -0.2, "exchange": "binance"}}, description="wider")
    assert created["deduplicated"] is False and created["config_id"].startswith("v2-")
    again = admin.create_config(catalogued, {"api": {"exchange": "binance", "stoploss": -0.2}})
    assert again["deduplicated"] is True and again["config_id"] == created["config_id"]

    listed = admin.list_configs(catalogued, environment="dev")
    assert [v["config_id"] for v in listed["items"]][:1] == [created["config_id"]]
    assert admin.get_config(catalogued, created["config_id"])["description"] == "wider"
    assert any(s["strategy_name"] == catalogued for s in admin.list_strategies()["items"])

    active = admin.activate(catalogued, created["config_id"], environment="dev")
    assert active["changed"] is True and active["previous_config_id"].startswith("v1-")
    rolled = admin.rollback(catalogued, environment="dev")
    assert rolled["config_id"] == active["previous_config_id"]
    gone = admin.deprecate(catalogued, created["config_id"], reason="too wide")
    assert gone["explicitly_deprecated"] is True


def test_resolve_with_etag(admin: TradaiClient, catalogued: str) -> None:
    resolved = admin.resolve(catalogued, environment="dev")
    assert resolved is not None
    assert resolved.resolved_hash == content_hash(resolved.values)
    assert resolved.etag == f'"{resolved.resolved_hash}"'
    assert admin.resolve(catalogued, environment="dev", if_none_match=resolved.etag) is None
    assert admin.resolve(catalogued, environment="dev", if_none_match=resolved.resolved_hash) is None
    explained = admin.resolve(catalogued, environment="dev", explain=True)
    assert explained is not None and explained.provenance is not None
    assert explained.provenance["api.stoploss"]["layer"] == "config_version"


def test_catalog_read(admin: TradaiClient, catalogued: str) -> None:
    names = {item["parameter"]["name"]: item["parameter"] for item in admin.catalog()["items"]}
    assert names["api.stoploss"]["reload"] == "hot" and names["api.stoploss"]["min"] == -0.5
    assert admin.get_parameter("api.exchange")["parameter"]["reload"] == "restart"


def test_bad_input_is_a_validation_error_naming_the_field(admin: TradaiClient, catalogued: str) -> None:
    with pytest.raises(ValidationError) as refused:
        admin.create_config(catalogued, {"api": {"stoploss": -0.9, "exchange": "binance"}})
    fields = [e.field for e in refused.value.errors]
    assert "config_data.api.stoploss" in fields, fields
    assert refused.value.status == 422 and refused.value.type == "urn:tradai:problem:invalid-input"
    assert "config_data.api.stoploss" in str(refused.value)
    # Nothing was stored.
    assert all(v["config_data"]["api"]["stoploss"] != -0.9 for v in admin.list_configs(catalogued)["items"])


def test_typed_errors(admin: TradaiClient, platform: Platform, catalogued: str) -> None:
    with pytest.raises(NotFound):
        admin.get_config(catalogued, "v99-00000000")
    with pytest.raises(NotFound):
        admin.get_run("00000000-0000-4000-8000-000000000000")
    with pytest.raises(Unauthenticated):
        TradaiClient(platform.url, username="admin", password="wrong").request("GET", "/api/v1/auth/me")
    viewer = TradaiClient(platform.url, token=str(admin.create_token(unique("viewer-"), ["viewer"])["token"]))
    with pytest.raises(Forbidden):
        viewer.create_config(catalogued, {"api": {"stoploss": -0.1, "exchange": "kraken"}})
    active = admin.resolve(catalogued, environment="dev")
    assert active is not None
    v3 = admin.create_config(catalogued, {"api": {"stoploss": -0.3, "exchange": "binance"}})
    with pytest.raises(PreconditionFailed):
        admin.activate(catalogued, v3["config_id"], environment="dev", expected_active="v1-00000000")
    # Every one of them is a TradaiError.
    assert issubclass(ValidationError, TradaiError) and issubclass(Conflict, TradaiError)


def test_a_freeze_is_frozen_and_approval_carries_the_change_request(admin: TradaiClient, catalogued: str) -> None:
    version = admin.create_config(catalogued, {"api": {"stoploss": -0.25, "exchange": "binance"}})
    admin.request("PUT", "/api/v1/environments/staging", body={"requires_approval": True, "approvals_required": 1})
    with pytest.raises(ApprovalRequired) as waiting:
        admin.activate(catalogued, version["config_id"], environment="staging")
    request = waiting.value.change_request
    assert request["status"] == "pending" and isinstance(request["id"], int)
    assert waiting.value.created is True
    admin.request("PUT", "/api/v1/environments/staging", body={"requires_approval": False, "approvals_required": 1})

    freeze = admin.request(
        "POST", "/api/v1/environments/dev/freezes", body={"reason": "python suite", "starts_at": "2020-01-01T00:00:00Z", "ends_at": "2099-01-01T00:00:00Z"}
    ).json()
    try:
        with pytest.raises(Frozen) as frozen:
            admin.activate(catalogued, version["config_id"], environment="dev")
        assert frozen.value.status == 423
    finally:
        admin.request("DELETE", f"/api/v1/environments/dev/freezes/{freeze['id']}")


def test_a_password_that_is_not_ascii(admin: TradaiClient, platform: Platform) -> None:
    password = "pässwörd-€-ünïcødé-0001"
    name = unique("umlaut")
    admin.request("POST", "/api/v1/users", body={"username": name, "role": "viewer", "password": password})
    me = TradaiClient(platform.url, username=name, password=password).request("GET", "/api/v1/auth/me").json()
    assert me["name"] == name


def test_parameter_sets_and_workers(admin: TradaiClient) -> None:
    assert isinstance(admin.list_workers(), list)
    with pytest.raises(NotFound):
        admin.get_parameter_set("0" * 64)
