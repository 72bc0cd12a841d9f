"""Schemathesis against the OpenAPI spec: generated requests never crash the API.

Bounded: three generated examples per operation (one valid one for the thesis routes, which take
seconds per date), no shrinking. Left out: the POST routes (a refresh would reach the providers;
the many-portfolio POST is tested by hand). ``positive_data_acceptance`` is off because a schema
cannot say that four weights must sum to one; the 422 the API gives then is tested by hand.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable

from bondthesis.data.store import Store

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import schemathesis
    from schemathesis import GenerationMode
    from schemathesis.checks import positive_data_acceptance

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:.*httpx2.*"),
]


@pytest.fixture(scope="module")
def api_app(snapshot_store: Store) -> object:
    from bondthesis.server import create_app

    return create_app(snapshot_store)


SLOW_PATHS = {"/api/scorecard", "/api/claims", "/api/pillars/{name}", "/api/track"}


@pytest.fixture(scope="module")
def api_schema(api_app: object) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", api_app).exclude(method="POST")


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_generated_requests_get_documented_answers(api_schema: Any, mode: GenerationMode) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 7
    for operation in operations:
        # The thesis routes take seconds per new date: one generated date each keeps this bounded.
        slow = operation.path in SLOW_PATHS

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=1 if slow and mode is GenerationMode.POSITIVE else 3,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=True,
        )
        def check(case: Any) -> None:
            case.call_and_validate(excluded_checks=[positive_data_acceptance], timeout=120)

        try:
            check()
        except Unsatisfiable:
            # No parameters (status, refresh progress): no invalid request exists to send.
            assert mode is GenerationMode.NEGATIVE
