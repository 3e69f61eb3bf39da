"""The API as its OpenAPI schema describes it: schemathesis reads /api/schema/ from the
running application and sends each operation requests drawn from the schema (valid ones,
and in its coverage phase invalid ones too), against the real councils, bodies and
partnerships. Every default check must hold: no server error, only documented status
codes, content types and bodies, valid requests accepted and invalid ones refused."""

import pytest
import schemathesis
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.config import SchemathesisConfig

from sharedmap.wsgi import application

# Few examples per operation, drawn the same way on every run, so the run is quick and a
# failure found once is found again.
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20261202,
        "generation": {"max-examples": 20, "deterministic": True, "database": "none"},
        "phases": {"stateful": {"enabled": False}},
        # The in-process WSGI client does not undo gzip, which requests would.
        "headers": {"Accept-Encoding": "identity"},
    }
)
# Throttling is tested in test_api.py; here it would only stop the run.
UNTHROTTLED = {
    **settings.REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        "anon": "1000000/hour",
        "anon_burst": "1000000/min",
        "user": "1000000/hour",
    },
}


@pytest.fixture
def api_schema(request, real_data):
    # schemathesis 4.32's pytest plugin renames the test node through `_nodeid`, which
    # pytest 9 no longer has (it keeps `_id`); give it the attribute it reads.
    request.node._nodeid = request.node.nodeid
    cache.clear()
    # As Django's test client does: the WSGI handler would otherwise close the test's
    # connection after each request (PostgreSQL then loses the test's transaction).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        with override_settings(REST_FRAMEWORK=UNTHROTTLED):
            yield schemathesis.openapi.from_wsgi("/api/schema/", application, config=CONFIG)
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
        cache.clear()


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@hypothesis_settings(suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_to_its_schema(case):
    case.call_and_validate()
