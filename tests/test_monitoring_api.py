"""The monitoring read API (monitoring.api): the document's shape and figures, authentication
(session, HTTP Basic), scoping and JSON errors, and the OpenAPI document that describes it.

openapi-spec-validator is not a dependency, so the OpenAPI document's structure is checked
here: required fields, every $ref resolving, the path matching the URLconf, and the API's
real answer validated against the response schema by a small validator below."""

import base64

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from monitoring.models import RealisationStatus
from monitoring.views.api import openapi_document
from tests.test_monitoring_reports import INDICATORS, Q2_VALUES, YEAR, make_kaltim, report

pytestmark = pytest.mark.django_db
PASSWORD = "sandi-uji-yang-panjang"  # tests.factories.make_user


@pytest.fixture
def kaltim():
    return make_kaltim()


def api_url(code="64.74.sekretariat", year=YEAR):
    return reverse("monitoring_reports:api_unit_year", args=[code, year])


def basic(username, password=PASSWORD) -> dict:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


# --- the document -------------------------------------------------------------------------
def test_it_returns_targets_realisations_and_capaian_per_quarter(client, kaltim):
    report(kaltim["bontang"], 2, Q2_VALUES, status=RealisationStatus.DRAFT)
    client.force_login(kaltim["operator"])
    response = client.get(api_url())
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert data["unit"]["code"] == "64.74.sekretariat" and data["unit"]["province"] == "64"
    assert data["year"] == YEAR and data["rules"] == {
        "cap": 120.0,
        "achieved_from": 100.0,
        "nearly_from": 80.0,
    }
    [agreement] = data["agreements"]
    assert agreement["id"] == kaltim["bontang"].pk and agreement["version"] == 1
    assert agreement["quarters_measured"] == [1, 2, 3, 4]
    indicators = {i["indikator"]: i for i in agreement["indicators"]}
    assert list(indicators) == [text for text, _target in INDICATORS]
    first = indicators[INDICATORS[0][0]]
    assert first["sasaran"] == "Tata kelola keuangan" and first["satuan"] == "%"
    assert first["direction"] == "higher_is_better" and first["kind"] == "persen"
    assert first["target"] == {"text": "100%", "value": 100.0, "grade": ""}
    q1 = first["quarters"][0]
    assert q1["realisation"]["value"] == 95.5 and q1["realisation"]["status"] == "terverifikasi"
    assert q1["capaian"]["value"] == 95.5 and q1["capaian"]["category"] == "hampir"
    assert first["quarters"][2]["realisation"] is None
    assert first["quarters"][2]["capaian"]["value"] is None
    count = indicators[INDICATORS[1][0]]
    assert count["kind"] == "jumlah" and count["quarters"][1]["measured"] == 3.0  # 1 + 2
    assert count["quarters"][1]["capaian"]["value"] == 75.0
    assert indicators[INDICATORS[2][0]]["quarters"][0]["realisation"]["grade"] == "WDP"
    assert indicators[INDICATORS[3][0]]["direction"] == "lower_is_better"
    averages = {a["quarter"]: a for a in agreement["averages"]}
    assert averages[1]["value"] == 66.79 and averages[1]["category"] == "tidak"
    assert averages[1]["status"] == "terverifikasi"
    assert averages[2]["value"] == 95.75 and averages[2]["status"] == "draf"
    assert averages[3]["value"] is None and averages[3]["status"] == "belum"
    quarters = {q["quarter"]: q for q in data["quarters"]}
    assert quarters[1]["closes_on"] == "2027-04-15" and quarters[1]["measured_by_version"] == 1
    assert quarters[2]["average"]["value"] == 95.75
    assert data["agreements"][0]["sasaran"][0]["averages"][0]["value"] == 66.79
    assert agreement["url"].endswith(kaltim["bontang"].get_absolute_url())


def test_a_unit_without_a_signed_pk_has_no_agreements(client, kaltim):
    client.force_login(kaltim["reviewer"])
    data = client.get(api_url("64.74")).json()  # its PK is a draft
    assert data["agreements"] == [] and data["quarters"][0]["average"] is None


# --- who may call it ------------------------------------------------------------------------
def test_another_offices_unit_is_a_404_in_indonesian(client, kaltim):
    client.force_login(kaltim["outsider"])
    response = client.get(api_url())
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unit_tidak_ditemukan"
    assert "tidak berhak melihatnya" in response.json()["error"]["message"]
    client.force_login(kaltim["compiler"])  # the province's compiler sees its Kab/Kota
    assert client.get(api_url()).status_code == 200
    assert client.get(api_url("96.71.sekretariat")).status_code == 404
    assert client.get(api_url("tidak-ada")).status_code == 404


def test_http_basic_works_with_the_same_accounts(client, kaltim):
    response = client.get(api_url(), **basic("perencanaan"))
    assert response.status_code == 200 and response.json()["unit"]["code"] == "64.74.sekretariat"
    assert "sessionid" not in response.cookies  # no session for a Basic request
    wrong = client.get(api_url(), **basic("perencanaan", "salah"))
    assert wrong.status_code == 401 and wrong["WWW-Authenticate"].startswith("Basic")
    assert wrong.json()["error"]["message"] == "Nama pengguna atau kata sandi salah."
    garbled = client.get(api_url(), HTTP_AUTHORIZATION="Basic ***")
    assert garbled.status_code == 401
    scoped = client.get(api_url(), **basic("op.sorong"))
    assert scoped.status_code == 404


def test_repeated_wrong_passwords_lock_the_account_as_the_login_form_does(client, kaltim):

    for _ in range(5):
        client.get(api_url(), **basic("perencanaan", "salah"))
    assert AccessAttempt.objects.filter(username="perencanaan").exists()
    locked = client.get(api_url(), **basic("perencanaan"))  # the right password, too late
    assert locked.status_code in (403, 429)


def test_anonymous_callers_are_refused(client, kaltim):
    as_api = client.get(api_url(), HTTP_ACCEPT="application/json")
    assert as_api.status_code == 401 and as_api["WWW-Authenticate"].startswith("Basic")
    assert as_api.json()["error"]["code"] == "perlu_masuk"
    as_browser = client.get(api_url())
    assert as_browser.status_code == 302 and as_browser["Location"].startswith(reverse("login"))
    assert client.get(reverse("monitoring_reports:openapi"), HTTP_ACCEPT="application/json")[
        "WWW-Authenticate"
    ]


def test_bad_years_and_methods_get_json_errors(client, kaltim):
    client.force_login(kaltim["operator"])
    response = client.get(api_url(year=2019))
    assert response.status_code == 400 and "2020" in response.json()["error"]["message"]
    posted = client.post(api_url())
    assert posted.status_code == 405 and posted.json()["error"]["code"] == "metode_tidak_diizinkan"


# --- the OpenAPI document -------------------------------------------------------------------
def resolve(document, ref: str) -> dict:
    assert ref.startswith("#/"), ref
    node = document
    for part in ref[2:].split("/"):
        assert part in node, f"unresolved $ref {ref}"
        node = node[part]
    return node


def all_refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from all_refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from all_refs(item)


TYPES = {"object": dict, "array": list, "string": str, "integer": int, "boolean": bool,
         "number": (int, float)}  # fmt: skip


def validate(document, schema: dict, value, where="$"):
    """The subset of OpenAPI 3.0 schemas the document uses: $ref, allOf, type, nullable,
    enum, required, properties, additionalProperties, items, minItems/maxItems."""
    if "$ref" in schema:
        return validate(document, resolve(document, schema["$ref"]), value, where)
    if value is None:
        assert schema.get("nullable"), f"{where}: null where the schema does not allow it"
        return None
    for part in schema.get("allOf", []):
        validate(document, part, value, where)
    if "type" in schema:
        expected = TYPES[schema["type"]]
        assert isinstance(value, expected) and not (
            schema["type"] in ("integer", "number") and isinstance(value, bool)
        ), f"{where}: {value!r} is not {schema['type']}"
    if "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r} not in {schema['enum']}"
    if isinstance(value, dict):
        for name in schema.get("required", []):
            assert name in value, f"{where}: missing {name}"
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                validate(document, sub, value[name], f"{where}.{name}")
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            for name, item in value.items():
                if name not in schema.get("properties", {}):
                    validate(document, extra, item, f"{where}.{name}")
    if isinstance(value, list):
        assert len(value) >= schema.get("minItems", 0), where
        assert len(value) <= schema.get("maxItems", len(value)), where
        for i, item in enumerate(value):
            validate(document, schema.get("items", {}), item, f"{where}[{i}]")
    return None


def test_the_openapi_document_is_served_and_well_formed(client, kaltim):
    client.force_login(kaltim["operator"])
    response = client.get(reverse("monitoring_reports:openapi"))
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.0")
    assert document["info"]["title"] and document["info"]["version"]
    assert document["servers"][0]["url"] == "http://testserver"
    for ref in all_refs(document):
        resolve(document, ref)
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert method in {"get", "post", "put", "patch", "delete"}, path
            assert operation["operationId"] and operation["responses"], path
            for code, answer in operation["responses"].items():
                answer = resolve(document, answer["$ref"]) if "$ref" in answer else answer
                assert answer["description"], (path, code)
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == {part[1:-1] for part in path.split("/") if part.startswith("{")}
    for scheme in document["security"]:
        assert set(scheme) <= set(document["components"]["securitySchemes"])


def test_the_openapi_document_lists_the_real_path_and_describes_its_answer(client, kaltim):
    document = openapi_document()
    template = "/api/v1/pemantauan/{unit_code}/{year}/"
    assert template in document["paths"]
    assert template.format(unit_code="64.74.sekretariat", year=YEAR) == api_url()
    assert "/api/v1/openapi.json" in document["paths"]
    assert reverse("monitoring_reports:openapi") == "/api/v1/openapi.json"
    report(kaltim["bontang"], 2, Q2_VALUES, status=RealisationStatus.RETURNED)
    client.force_login(kaltim["operator"])
    schema = document["paths"][template]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    validate(document, schema, client.get(api_url()).json())
    error_schema = resolve(document, document["paths"][template]["get"]["responses"]["404"]["$ref"])
    client.force_login(kaltim["outsider"])
    validate(document, error_schema["content"]["application/json"]["schema"],
             client.get(api_url()).json())  # fmt: skip


def test_the_validator_catches_a_wrong_answer():
    document = openapi_document()
    schema = {"$ref": "#/components/schemas/Capaian"}
    validate(
        document, schema, {"value": 1.5, "category": "tercapai", "label": "", "explanation": ""}
    )
    with pytest.raises(AssertionError):
        validate(document, schema, {"value": "1.5", "category": "tercapai", "label": "",
                                     "explanation": ""})  # fmt: skip
    with pytest.raises(AssertionError):
        validate(document, schema, {"value": 1.5, "category": "lain", "label": "",
                                     "explanation": ""})  # fmt: skip
    with pytest.raises(AssertionError):
        validate(document, schema, {"value": 1.5})


def test_the_docs_page_explains_how_to_call_it(client, kaltim):
    client.force_login(kaltim["operator"])
    response = client.get(reverse("monitoring_reports:api_docs"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "/api/v1/openapi.json" in page and "HTTP Basic" in page
    assert api_url() in page  # an example the reader may call: a signed PK's unit
