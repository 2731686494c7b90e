"""Schemathesis against the committed OpenAPI document, through a real server, fixed seed.

Every operation gets a bounded number of generated requests (derandomized: the same
requests every run); each response must not be a 5xx and must conform to the document:
a declared status code, a declared content type and a body matching its schema. Then a
bounded stateful run (derandomized too) opens every scenario by placing an order and
creating a product, then follows the document's OpenAPI links (``shopdb.api.links``):
read the order, pay, ship or cancel it, read it again; read the product, PATCH it with
its ETag, restock it; under the same checks.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from api_support import Shop, assert_audit_clean
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.stateful import Bundle, initialize
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.generation.stateful.state_machine import StepInput
from server import serving
from sqlalchemy.engine import URL

from shopdb.api.openapi import openapi_document
from shopdb.services import restock

pytestmark = pytest.mark.slow
EXAMPLES = 6
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# revoking keys would revoke the test's own key, and the rest would only see 401s
SKIPPED = {("DELETE", "/v1/api-keys/{api_key_id}")}


@pytest.fixture
def server(shop: Shop, db_url: URL) -> Iterator[str]:
    with serving(db_url, SHOPDB_API_ANALYTICS_TIMEOUT_S="5") as base:
        yield base


def _schema() -> Any:
    return schemathesis.openapi.from_dict(json.loads(openapi_document()))


def test_every_operation_answers_within_its_document(server: str, shop: Shop) -> None:
    failures: list[str] = []
    calls: list[int] = []
    for result in _schema().get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue

        @seed(20261201)
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            response = case.call(base_url=server, headers=shop.auth("admin"), timeout=30)
            calls.append(response.status_code)
            case.validate_response(response, checks=CHECKS)

        try:
            run()
        except Exception as exc:  # collected so one run reports every failing operation
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:600]}")
    assert failures == []
    assert len(calls) >= 3 * 30  # every operation was exercised, not skipped
    assert any(200 <= code < 300 for code in calls) and any(code >= 400 for code in calls)
    assert_audit_clean(shop.engine)


STEPS = 8
SCENARIOS = 20
# the operations a scenario opens with: each creates the row the links then follow
CREATING = (("POST", "/v1/orders"), ("POST", "/v1/products"))
Call = tuple[str, str, int]  # method, path template, status code
CREATED: tuple[Call, Call] = (("POST", "/v1/orders", 201), ("POST", "/v1/products", 201))
ORDER_READ_OR_PAID = {
    ("GET", "/v1/orders/{order_id}", 200),
    ("POST", "/v1/orders/{order_id}/payments", 201),
}
# the ETag link carried an If-Match that the server checked: 200 while it was current, 412
# once an earlier step (a restock, another PATCH) changed the product; without the header
# every PATCH is a 428. Which of the two a run draws depends on the steps before it.
PRODUCT_CHANGED = {
    ("PATCH", "/v1/products/{product_id}", 200),
    ("PATCH", "/v1/products/{product_id}", 412),
}


def _shopping_machine(linked: Any) -> Any:
    """The linked schema's state machine, whose every scenario opens by creating rows.

    Schemathesis starts scenarios only from linked POSTs whose id inputs some selected
    operation produces: here the order actions, with made-up ids (404s), and not POST
    /v1/orders or POST /v1/products, whose ``user_id`` and ``category_id`` nothing selected
    returns. So each scenario first creates an order and a product (``initialize`` rules;
    the machine files each answer in the bundle of the links it feeds), and the action
    roots are dropped: every later step follows a link.
    """
    machine = linked.as_state_machine()
    rules: dict[str, Any] = {name: None for name in machine.root_rules}
    for method, path in CREATING:
        steps = linked[path][method].as_strategy().map(StepInput.initial)
        name = f"create_{path.rsplit('/', 1)[-1]}"
        rules[name] = initialize(target=Bundle("catch_all"), step=steps)(_root_step(name))
    return type("Rooted", (machine,), {**rules, "root_rules": frozenset()})


def _root_step(name: str) -> Any:
    def create(self: Any, step: StepInput) -> Any:
        # as Schemathesis's own root rules do: record the case, so that the steps linked
        # to it find their parent, then call the API; the machine files the answer in the
        # bundle of the links it feeds
        self.recorder.record_case(case=step.case)
        self.control.record_step(step, self.recorder)
        return self._step(step)

    create.__name__ = create.__qualname__ = name
    return create


def _new_row(path: str, number: int, shop: Shop) -> dict[str, Any]:
    if path == "/v1/orders":
        return {"user_id": shop.user, "items": [{"product_id": shop.lamp, "quantity": 1}]}
    return {
        "category_id": shop.category,
        "sku": f"STATEFUL-{number}",
        "name": f"Stateful {number}",
        "price_cents": 1000,
        "quantity": 5,
    }


def test_stateful_sequences_answer_within_their_document(server: str, shop: Shop) -> None:
    scenarios: list[list[Call]] = []
    restock(shop.engine, shop.lamp, 10_000)  # enough for every order the run places

    # the sequences the links describe (orders and products); deletes are left to the
    # stateless test, since deleting the shop's own rows would end every sequence
    linked = _schema().include(path_regex=r"^/v1/(orders|products)").exclude(method="DELETE")

    class Shopping(_shopping_machine(linked)):  # type: ignore[misc]
        def before_call(self, case: Any) -> None:
            # the generated case carries a made-up bearer token for the declared scheme
            case.headers = {**(case.headers or {}), **shop.auth("admin")}
            where = (case.operation.method.upper(), case.operation.path)
            # generated keys (now drawn from the header's pattern) repeat across steps,
            # so a step would replay another step's response, or be refused as a reuse:
            # replayed Idempotency-Keys are the stateless test's business
            case.headers.pop("Idempotency-Key", None)
            if where in CREATING:
                # each scenario creates a new row that exists, so that its sequence starts
                # whatever was created before (made-up ids and SKUs that clash are the
                # stateless test's business too)
                case.body = _new_row(where[1], len(scenarios), shop)

        def setup(self) -> None:
            scenarios.append([])

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"base_url": server, "timeout": 30}

        def after_call(self, response: Any, case: Any) -> None:
            scenarios[-1].append(
                (case.operation.method.upper(), case.operation.path, response.status_code)
            )

        def validate_response(self, response: Any, case: Any, *_: Any, **__: Any) -> None:
            case.validate_response(response, checks=CHECKS)

    Shopping.run(
        settings=settings(
            max_examples=SCENARIOS,
            stateful_step_count=STEPS,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
    )

    # every step passed the checks inside the run; here: the scenarios followed the links
    # from the rows they created, and the API answered them (not only 404s and 409s)
    seen = sorted(Counter(call for scenario in scenarios for call in scenario).items())
    assert len(scenarios) >= SCENARIOS, seen
    assert all(tuple(scenario[:2]) in (CREATED, CREATED[::-1]) for scenario in scenarios), seen
    assert any(_follows(scenario, CREATED[0], ORDER_READ_OR_PAID) for scenario in scenarios), seen
    assert any(_follows(scenario, CREATED[1], PRODUCT_CHANGED) for scenario in scenarios), seen
    assert_audit_clean(shop.engine)


def _follows(scenario: list[Call], first: Call, later: set[Call]) -> bool:
    """Whether ``scenario`` answers ``first`` and, after it, one of ``later``."""
    return first in scenario and any(call in later for call in scenario[scenario.index(first) :])
