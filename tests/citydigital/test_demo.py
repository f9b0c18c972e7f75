"""`manage.py seed_demo`: the demo region, its accounts and six 2017 combined authorities with
fictional submitted assessments, scored by the real services; idempotent."""

import io
import json
import re
from datetime import date

from django.core.management import call_command
from django.urls import reverse

from assessments.models import (
    ActionPlanItem,
    Answer,
    AnswerHistory,
    Assessment,
    AssessmentScore,
    CityRegion,
    Membership,
    ThemeScore,
)
from tests.assessments.conftest import client_for

MODELS = (
    CityRegion,
    Membership,
    Assessment,
    Answer,
    AnswerHistory,
    AssessmentScore,
    ThemeScore,
    ActionPlanItem,
)
MAYORS_2017 = {
    "Greater Manchester": "Andy Burnham",
    "Liverpool City Region": "Steve Rotheram",
    "West Midlands": "Andy Street",
    "Tees Valley": "Ben Houchen",
    "West of England": "Tim Bowles",
    "Cambridgeshire and Peterborough": "James Palmer",
}


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seed_demo_is_idempotent(db):
    first = _seed()
    counts = _counts()
    assert counts["Assessment"] == 8
    second = _seed()
    assert _counts() == counts
    assert first == second
    assert "admin   username: demo-admin   password: readiness-demo" in first
    assert "editor  username: demo-editor  password: readiness-demo" in first
    assert "viewer  username: demo-viewer  password: readiness-demo" in first
    assert "Demo region: Demo City Region" in first


def test_seed_demo_leaves_a_region_in_use_alone(db):
    _seed()
    demo = CityRegion.objects.get(slug="demo-city-region")
    Assessment.objects.filter(region=demo).delete()
    _seed()  # the region now has no assessment: seeded again
    assert Assessment.objects.filter(region=demo).count() == 1
    Answer.objects.filter(assessment__region=demo).update(note="Changed by someone")
    _seed()
    assert set(Answer.objects.filter(assessment__region=demo).values_list("note", flat=True)) == {
        "Changed by someone"
    }


def test_the_2017_combined_authorities_have_fictional_submitted_assessments(db):
    _seed()
    regions = {r.name: r for r in CityRegion.objects.filter(name__in=MAYORS_2017)}
    assert {name: r.mayor_name for name, r in regions.items()} == MAYORS_2017
    for region in regions.values():
        assert region.is_demo
        assert region.mayor_took_office == date(2017, 5, 8)
        assessments = list(region.assessments.all())
        assert assessments
        assert all(a.is_submitted and a.label.startswith("Demo") for a in assessments)
        assert all(AssessmentScore.objects.filter(assessment=a).exists() for a in assessments)
    notes = set(Answer.objects.values_list("note", flat=True))
    assert notes
    assert all(note.startswith("Fictional demo answer") for note in notes)
    # Distinct profiles.
    indexes = {
        s.assessment.region.name: s.readiness_index
        for s in AssessmentScore.objects.select_related("assessment__region")
    }
    assert len(set(indexes.values())) >= 6
    assert indexes["Tees Valley"] < indexes["West Midlands"]
    manchester = regions["Greater Manchester"]
    assert manchester.assessments.count() == 2
    assert CityRegion.objects.filter(is_demo=True, open_data_since__isnull=False).count() >= 3
    demo = CityRegion.objects.get(slug="demo-city-region")
    assert demo.assessments.filter(status=Assessment.Status.SUBMITTED).count() == 1


def test_a_new_demo_user_sees_results_benchmarks_compare_and_open_data(db):
    _seed()
    from django.contrib.auth import get_user_model

    viewer = get_user_model().objects.get(username="demo-viewer")
    client = client_for(viewer)
    demo = CityRegion.objects.get(slug="demo-city-region")
    assessment = demo.assessments.get()
    page = client.get(
        reverse(
            "assessments:results-detail", kwargs={"region_slug": demo.slug, "pk": assessment.pk}
        )
    ).content.decode()
    assert 'id="benchmark-table"' in page
    assert "their scores are fictional" in page
    assert 'id="demo-notice"' in page
    compare = client.get(
        reverse("assessments:assessment-compare", kwargs={"region_slug": "greater-manchester"})
    ).content.decode()
    compare = re.sub(r"\s+", " ", compare)
    assert "“Demo: baseline, day 1” and “Demo: day 100 review”" in compare
    assert 'id="index-change">+' in compare
    data = json.loads(client.get(reverse("opendata:json")).content)
    assert data["regions"]
    assert all(region["is_demo"] for region in data["regions"])
