"""Open data: region admins opt a region in or out; the public page and the CSV/JSON downloads hold
exactly the opted-in regions' latest submitted scores, and the JSON validates against the
documented schema."""

import csv
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import CityRegion
from assessments.opendata import exports
from assessments.opendata import services as open_data
from questionbank.models import Question
from tests.assessments.conftest import client_for
from tests.assessments.factories import CityRegionFactory, UserFactory, admin_of, editor_of
from tests.questionbank.factories import bank_with_questions

SCHEMA_PATH = Path(settings.BASE_DIR) / "static" / "open-data" / "schema-v1.json"
SECRET = "SECRET-do-not-publish"


def _submit(region, *, level, label=f"{SECRET} label"):
    editor = editor_of(region, user__first_name=SECRET, user__last_name="Person").user
    assessment = services.assessment_start(region=region, user=editor, label=label)
    for question in Question.objects.filter(theme__bank=assessment.bank):
        services.answer_save(
            assessment=assessment,
            question=question,
            user=editor,
            data={
                "selected_values": [level],
                "note": f"{SECRET} note",
                "evidence_url": f"https://example.org/{SECRET}",
            },
            expected_revision=0,
        )
    return services.assessment_submit(assessment=assessment, user=editor), editor


def _publish(region):
    open_data.open_data_publish(region=region, user=admin_of(region).user)


@pytest.fixture
def regions(db):
    bank_with_questions(themes=2, questions_per_theme=2)
    published = CityRegionFactory(name="Alpha Combined Authority", slug="alpha")
    _submit(published, level="1")
    _submit(published, level="3")  # the latest: published
    _publish(published)
    demo = CityRegionFactory(name="Demo Bay", slug="demo-bay", is_demo=True)
    _submit(demo, level="4")
    _publish(demo)
    nothing_submitted = CityRegionFactory(name="Empty Vale", slug="empty-vale")
    _publish(nothing_submitted)
    private = CityRegionFactory(name="Private Shire", slug="private-shire")
    _submit(private, level="2")
    withdrawn = CityRegionFactory(name="Withdrawn Wold", slug="withdrawn-wold")
    _submit(withdrawn, level="2")
    _publish(withdrawn)
    open_data.open_data_withdraw(region=withdrawn, user=admin_of(withdrawn).user)
    return {"published": published, "demo": demo}


def _get(url):
    response = Client().get(url)
    assert response.status_code == 200
    return response


def test_the_csv_holds_exactly_the_opted_in_regions_latest_scores(regions):
    response = _get(reverse("opendata:csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    text = response.content.decode()
    assert SECRET not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0].keys()) == exports.CSV_HEADER
    assert [(r["region_slug"], r["theme_slug"]) for r in rows] == [
        ("alpha", "theme-1"),
        ("alpha", "theme-2"),
        ("demo-bay", "theme-1"),
        ("demo-bay", "theme-2"),
    ]
    alpha = rows[0]
    assert alpha["region_name"] == "Alpha Combined Authority"
    assert alpha["is_demo"] == "false"
    assert alpha["readiness_index"] == "75.0"  # the latest (level 3), not the first (level 1)
    assert alpha["readiness_band"] == "established"
    assert alpha["coverage"] == "1.0000"
    assert alpha["theme_score"] == "75.0"
    assert alpha["theme_weight"] == "10"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", alpha["submitted_on"])
    assert rows[2]["is_demo"] == "true"
    assert rows[2]["readiness_index"] == "100.0"


def test_the_json_holds_the_same_regions_and_validates_against_the_documented_schema(regions):
    response = _get(reverse("opendata:json"))
    assert response["Content-Type"] == "application/json"
    assert SECRET not in response.content.decode()
    data = json.loads(response.content)
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(data)
    assert data["licence"]["name"] == "Open Government Licence v3.0"
    assert data["schema_version"] == 1
    assert [(r["slug"], r["is_demo"]) for r in data["regions"]] == [
        ("alpha", False),
        ("demo-bay", True),
    ]
    alpha = data["regions"][0]
    assert alpha["readiness_index"] == 75.0
    assert alpha["band"] == "established"
    assert alpha["bank_version"] >= 1
    assert [(t["slug"], t["score"], t["weight"]) for t in alpha["themes"]] == [
        ("theme-1", 75.0, 10),
        ("theme-2", 75.0, 10),
    ]
    # The CSV and the JSON agree.
    rows = list(csv.DictReader(io.StringIO(_get(reverse("opendata:csv")).content.decode())))
    assert {(r["region_slug"], r["theme_slug"], float(r["theme_score"])) for r in rows} == {
        (region["slug"], theme["slug"], theme["score"])
        for region in data["regions"]
        for theme in region["themes"]
    }


def test_the_schema_rejects_what_it_documents_as_invalid(regions):
    schema = json.loads(SCHEMA_PATH.read_text())
    data = json.loads(_get(reverse("opendata:json")).content)
    validator = jsonschema.Draft202012Validator(schema)
    for broken in (
        {**data, "regions": [{**data["regions"][0], "note": "free text"}]},
        {**data, "regions": [{**data["regions"][0], "readiness_index": 101}]},
        {**data, "regions": [{**data["regions"][0], "band": "superb"}]},
        {**data, "licence": {"name": "CC0", "url": "https://example.org"}},
    ):
        assert not validator.is_valid(broken)


def test_the_public_page_lists_published_regions_without_sign_in(regions):
    page = re.sub(r"\s+", " ", _get(reverse("opendata:index")).content.decode())
    assert SECRET not in page
    assert "Alpha Combined Authority" in page
    assert 'data-region="demo-bay"' in page
    assert 'Demo Bay</a> <strong class="govuk-tag govuk-tag--grey">Demo</strong>' in page
    for absent in ("Empty Vale", "Private Shire", "Withdrawn Wold"):
        assert absent not in page
    assert "Open Government Licence v3.0" in page
    assert reverse("opendata:csv") in page
    assert "open-data/schema-v1.json" in page
    # Linked from every page's footer and from the start page.
    start = _get(reverse("citydigital:start")).content.decode()
    assert start.count(f'href="{reverse("opendata:index")}"') == 2


def test_an_empty_list_says_so(db):
    page = _get(reverse("opendata:index")).content.decode()
    assert "No region publishes its scores yet." in page
    data = json.loads(_get(reverse("opendata:json")).content)
    assert data["regions"] == []
    assert _get(reverse("opendata:csv")).content.decode().count("\r\n") == 1


# --- opting in and out ---------------------------------------------------------------------------


def _region_url(region):
    return reverse("assessments:region-open-data", kwargs={"region_slug": region.slug})


def _published_slugs():
    return [r["slug"] for r in json.loads(_get(reverse("opendata:json")).content)["regions"]]


def test_a_region_admin_opts_in_and_out_and_the_downloads_follow_at_once(db):
    bank_with_questions(themes=1, questions_per_theme=1)
    region = CityRegionFactory(slug="gamma")
    _submit(region, level="2")
    admin = admin_of(region).user
    client = client_for(admin)
    page = re.sub(r"\s+", " ", client.get(_region_url(region)).content.decode())
    assert "Not published" in page
    assert "Never published: the answers, notes, evidence links" in page
    assert "readiness index 50.0" in page
    response = client.post(_region_url(region), {"choice": "publish"})
    assert response.status_code == 302
    region.refresh_from_db()
    assert region.open_data_since is not None
    assert region.open_data_by == admin
    assert _published_slugs() == ["gamma"]
    client.post(_region_url(region), {"choice": "withdraw"})
    region.refresh_from_db()
    assert region.open_data_since is None
    assert _published_slugs() == []
    # No choice: a message, nothing changes.
    response = client.post(_region_url(region), {})
    assert "Select whether to publish this region" in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert _published_slugs() == []


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_who_may_see_and_change_a_regions_open_data_choice(db, role):
    """Every member sees the choice; only a region admin may change it (not even an editor)."""
    bank_with_questions(themes=1, questions_per_theme=1)
    region = CityRegionFactory()
    _submit(region, level="2")
    viewer = editor_of(region).user
    from assessments.models import Membership

    Membership.objects.filter(user=viewer).update(role=role)
    url = _region_url(region)
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("citydigital:sign-in"))
    assert Client().post(url, {"choice": "publish"}).status_code == 302
    outsider = editor_of(CityRegionFactory()).user
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(outsider).post(url, {"choice": "publish"}).status_code == 404
    assert client_for(UserFactory()).get(url).status_code == 404
    as_viewer = client_for(viewer)
    page = as_viewer.get(url).content.decode()
    assert 'name="choice"' not in page
    assert re.sub(r"<[^>]+>", "", page).count("Only the region admins of") == 1
    assert f'href="/regions/{region.slug}/team/#admins"' in page
    refused = as_viewer.post(url, {"choice": "publish"})
    assert refused.status_code == 403
    assert "Only the region&#x27;s admins can change what it publishes." in refused.content.decode()
    assert CityRegion.objects.get(pk=region.pk).open_data_since is None
    with pytest.raises(Exception, match="Only the region's admins"):
        open_data.open_data_publish(region=region, user=viewer)


def test_the_public_pages_query_count_does_not_grow(db):
    counts = []
    for regions in (2, 6):
        bank_with_questions(themes=2, questions_per_theme=regions)
        for _ in range(regions):
            region = CityRegionFactory()
            _submit(region, level="2")
            _submit(region, level="3")
            _publish(region)
        row = []
        for name in ("opendata:index", "opendata:csv", "opendata:json"):
            with CaptureQueriesContext(connection) as queries:
                _get(reverse(name))
            row.append(len(queries))
        counts.append(row)
    assert counts[0] == counts[1], counts


def test_the_documentation_covers_the_format():
    docs = (Path(settings.BASE_DIR) / "docs" / "open-data.md").read_text()
    for column in exports.CSV_HEADER:
        assert f"| `{column}` |" in docs, column
    assert "Open Government Licence v3.0" in docs
    # The example in the documentation is valid against the schema.
    example = json.loads(docs.split("```json")[1].split("```")[0])
    jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text())).validate(example)
    schema = json.loads(SCHEMA_PATH.read_text())
    for name in [*schema["$defs"]["region"]["properties"], *schema["$defs"]["theme"]["properties"]]:
        assert re.search(rf"`[^`\n]*\b{name}\b[^`\n]*`", docs), name
