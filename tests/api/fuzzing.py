"""Running schemathesis against live_server: configuration, the error-shape check, a tally.

The engine is the one behind `schemathesis run` (phases examples, coverage, fuzzing and
stateful), driven in-process so the seeded world's ids and keys come from the test database.
`LOAM_FUZZ_SEED` fixes the seed (CI: 1313), `random` draws one; `LOAM_FUZZ_EXAMPLES` is the
example budget per operation, `LOAM_FUZZ_MAX_TIME` a time limit in seconds per run, and
`LOAM_FUZZ_REPORT` a file each run appends its tally to.
"""

import os
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema

DEFAULT_SEED = 1313
DEFAULT_EXAMPLES = 5
STATEFUL_FACTOR = 5
API_KEY_HEADER = "X-Argilla-Api-Key"
# Checks on every response. Loam documents its 4xx answers, so an undocumented status code,
# content type or body shape is a failure too.
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "loam_error_shape",
)


def fuzz_seed() -> int:
    raw = os.environ.get("LOAM_FUZZ_SEED", str(DEFAULT_SEED))
    return random.SystemRandom().randrange(2**31) if raw == "random" else int(raw)


def _is_error_detail(detail) -> bool:
    if isinstance(detail, str):
        return True
    if not isinstance(detail, dict) or not isinstance(detail.get("message"), str):
        return False
    params = detail.get("params", {})
    if {"limit", "rate", "retry_after"} <= params.keys():  # a rate limit (429)
        return True
    errors = params.get("errors")
    return isinstance(errors, list) and all(
        isinstance(e, dict)
        and isinstance(e.get("loc"), list)
        and isinstance(e.get("msg"), str)
        and isinstance(e.get("type"), str)
        for e in errors
    )


@schemathesis.check
def loam_error_shape(ctx, response, case):
    """Every 4xx body is the one error shape of apps/api/exceptions.py: `{"detail": ...}`,
    a message or `{code, message, params: {errors: [{loc, msg, type}]}}` (or, for a rate
    limit, `params: {limit, rate, retry_after}`)."""
    if not 400 <= response.status_code < 500 or case.method.upper() == "HEAD":
        return None
    try:
        body = response.json()
    except ValueError:
        raise AssertionError(f"{response.status_code} answer is not JSON") from None
    if not isinstance(body, dict) or not _is_error_detail(body.get("detail")):
        raise AssertionError(f"{response.status_code} answer is not the error shape: {body!r}")
    return None


@dataclass
class Tally:
    """What one run did: requests per phase, status codes per operation, failures."""

    requests: Counter = field(default_factory=Counter)
    statuses: dict = field(default_factory=lambda: defaultdict(Counter))
    failures: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    seconds: dict = field(default_factory=dict)  # phase → seconds since the run started
    positive: dict = field(default_factory=lambda: defaultdict(Counter))  # op → {rejected: n}
    checks_run: set = field(default_factory=set)

    def mostly_rejected(self) -> list[str]:
        """Operations that turned down most schema-valid requests (400/422)."""
        return sorted(
            f"{op} ({c[True]}/{c[True] + c[False]})"
            for op, c in self.positive.items()
            if c[True] > c[False]
        )

    def only_404(self) -> list[str]:
        return sorted(op for op, codes in self.statuses.items() if set(codes) == {404})

    def summary(self) -> str:
        lines = [
            f"requests per phase: {dict(self.requests)} (total {sum(self.requests.values())})",
            f"phase finished after (s): {self.seconds}",
        ]
        lines += [f"only 404: {op}" for op in self.only_404()]
        lines += [f"valid data mostly rejected: {op}" for op in self.mostly_rejected()]
        lines += [f"warning: {w}" for w in self.warnings]
        lines += [f"error: {e}" for e in self.errors]
        lines += [f"FAILURE {f}" for f in self.failures]
        return "\n".join(lines)


def _record(tally: Tally, event) -> None:
    recorder = event.recorder
    for case_id, interaction in recorder.interactions.items():
        node = recorder.cases.get(case_id)
        if node is None or interaction.response is None:
            continue
        case, code = node.value, interaction.response.status_code
        tally.requests[event.phase.value] += 1
        tally.statuses[case.operation.label][code] += 1
        meta = case.meta
        if (
            meta is not None
            and meta.generation.mode == "positive"
            and event.phase.value == "fuzzing"
        ):
            # Schema-valid data the API turned down as invalid: the schema is looser than the
            # validation behind it (403/404/409 depend on the caller and the state, not data).
            tally.positive[case.operation.label][code in (400, 422)] += 1
    for case_id, checks in recorder.checks.items():
        for check in checks:
            tally.checks_run.add(check.name)
            if check.failure_info is None:
                continue
            case = recorder.cases[case_id].value
            failure = check.failure_info.failure
            tally.failures.append(
                f"[{event.phase.value}] {case.operation.label}: {check.name}: {failure.title}\n"
                f"    {failure.message[:600]}\n    reproduce: {check.failure_info.code_sample}"
            )


def run(
    *,
    base_url: str,
    api_key: str,
    parameters: dict,
    operations: list[dict],
    seed: int,
    max_examples: int,
    max_time: int | None = None,
    coverage: bool = True,
) -> Tally:
    """One schemathesis run; `coverage` turns on the phase that tries every boundary of every
    parameter and body the schema defines (thousands of requests, whatever the budget)."""
    config = {
        "seed": seed,
        "base-url": base_url,
        # A fresh connection per request: live_server answers keep-alive connections in two
        # small writes, and delayed ACKs then cost ~40 ms a request.
        "headers": {API_KEY_HEADER: api_key, "Connection": "close"},
        "workers": 1,
        "generation": {"max-examples": max_examples, "mode": "all"},
        # The stateful phase's budget counts scenarios (chains of linked calls), not requests.
        "phases": {
            "coverage": {"enabled": coverage},
            "stateful": {"generation": {"max-examples": max_examples * STATEFUL_FACTOR}},
        },
        "checks": {
            "enabled": False,
            **{name: {"enabled": True} for name in CHECKS},
        },
        "parameters": parameters,
        "operations": operations,
        "suppress-health-check": ["all"],
        "cache": {"enabled": False},
    }
    if max_time:
        config["max-time"] = max_time
    schema = schemathesis.openapi.from_url(
        f"{base_url}/api/schema/?format=json", config=SchemathesisConfig.from_dict(config)
    )
    tally = Tally()
    started = time.monotonic()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            _record(tally, event)
        elif isinstance(event, events.NonFatalError):
            tally.errors.append(f"{event.label}: {event.info.format()[:800]}")
        elif isinstance(event, events.FatalError):
            tally.errors.append(f"fatal: {event.exception!r}")
        elif isinstance(event, events.PhaseFinished):
            tally.seconds[event.phase.name.value] = round(time.monotonic() - started)
    return tally
