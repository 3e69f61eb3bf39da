"""What a developer sees when a query parameter is wrong: a 400 whose body names the
parameter and says what was wrong, never a server error; and a schema that promises no
authentication and documents every refusal."""

import pytest
import yaml
from django.core.cache import cache
from rest_framework.test import APIClient

pytestmark = pytest.mark.usefixtures("real_data")


@pytest.fixture
def api():
    cache.clear()
    yield APIClient()
    cache.clear()


@pytest.mark.parametrize(
    "path, params, name",
    [
        ("/api/partnerships/", {"year": "1.9e+241"}, "year"),
        ("/api/partnerships/", {"year": "²⁰¹⁹"}, "year"),
        ("/api/savings/", {"start_from": "9" * 5000}, "start_from"),
        ("/api/partnerships/", {"q": "orbis\x00"}, "q"),
        ("/api/councils/", {"page": "9" * 5000}, "page"),
        ("/api/councils.geojson", {"bbox": "1,2,3"}, "bbox"),
        ("/api/councils/", {"current": "perhaps"}, "current"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(api, path, params, name):
    response = api.get(path, params, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    body = response.json()
    assert list(body) == [name]
    assert name in body[name][0]


@pytest.mark.parametrize(
    "path",
    [
        "/api/savings/" + "9" * 5000 + "/",
        "/api/public-bodies/" + "9" * 5000 + "/",
        "/api/councils/%00/",
    ],
)
def test_an_impossible_id_is_a_json_404(api, path):
    response = api.get(path, HTTP_ACCEPT="application/json")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_the_schema_declares_no_authentication_and_documents_refusals(api):
    schema = yaml.safe_load(api.get("/api/schema/").content)
    assert "securitySchemes" not in schema.get("components", {})
    assert "security" not in schema
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert "security" not in operation, (path, method)
            assert {"400", "404", "429"} <= set(operation["responses"]), (path, method)
    year = next(
        p for p in schema["paths"]["/api/partnerships/"]["get"]["parameters"] if p["name"] == "year"
    )
    # The financial years there is a map of: from the first council generation to now.
    from partnerships.timeline import current_financial_year

    assert year["schema"] == {
        "type": "integer",
        "minimum": 2009,
        "maximum": current_financial_year(),
    }


def test_the_docs_page_has_no_authorize_button(api):
    response = api.get("/api/docs/")
    assert response.status_code == 200
    # Swagger UI draws the button only for a schema with securitySchemes (checked above).
    assert "Authorize" not in response.content.decode()
