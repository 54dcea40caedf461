"""Schemathesis against the running app's own schema (/api/v1/openapi.json), authenticated with
an admin's token: no 5xx, every status documented, every body matching its schema.

Bounded for CI: the schema's own examples and ``EXAMPLES`` generated cases per operation and
generation mode (valid requests, and requests that break the schema, which must be 4xx), no
shrinking. Revoking a token is left out (it could revoke the token the run uses; the security
tests revoke one on purpose). The test prints how many operations and cases ran and failed.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.web.conftest import WebServer

EXAMPLES = 10
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
SKIPPED = {("DELETE", "/api/v1/tokens/{token_id}")}


def test_the_api_answers_every_generated_request_within_its_schema(web: WebServer) -> None:
    auth = {"Authorization": f"Bearer {web.token}"}
    schema = schemathesis.openapi.from_url(web.url + "/api/v1/openapi.json", headers=auth)
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= 20
    cases: dict[str, int] = {}
    failures: list[str] = []
    for op in operations:
        if (op.method.upper(), op.path) in SKIPPED:
            continue
        label = f"{op.method.upper()} {op.path}"
        cases[label] = 0

        strategies = []
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                strategies.append(op.as_strategy(mode))
            except Exception:  # nothing in the operation can be made invalid (no parameters)
                continue

        run = _runner(st.one_of(strategies), EXAMPLES * len(strategies), label, cases, auth)
        try:
            run()
        except Exception as exc:  # collect every operation's first failure, then fail once
            failures.append(f"{label}: {str(exc)[:800]}")
    print(
        f"schemathesis: {len(cases)} operations, {sum(cases.values())} cases, {len(failures)} failing operation(s)"
    )
    assert not failures, "\n\n".join(failures)
    assert all(n > 0 for n in cases.values()), cases


def _runner(
    strategy: st.SearchStrategy[schemathesis.Case],
    examples: int,
    label: str,
    cases: dict[str, int],
    auth: dict[str, str],
) -> Callable[[], None]:
    @given(case=strategy)
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case) -> None:
        cases[label] += 1
        case.call_and_validate(headers=auth, checks=CHECKS)

    return run  # type: ignore[no-any-return]


@pytest.mark.parametrize("path", ["/api/v1/openapi.json", "/api/v1/docs"])
def test_the_schema_and_its_docs_need_a_login(web: WebServer, path: str) -> None:
    import requests

    assert requests.get(web.url + path, timeout=60).status_code == 401
    ok = requests.get(web.url + path, headers={"Authorization": f"Bearer {web.token}"}, timeout=60)
    assert ok.status_code == 200
