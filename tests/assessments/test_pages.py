from django.urls import reverse

from assessments.models import Answer
from tests.assessments.conftest import client_for


def _urls(assessment, theme_slug="theme-1"):
    kwargs = {"region_slug": assessment.region.slug, "pk": assessment.pk}
    return {
        "tasks": reverse("assessments:assessment-tasks", kwargs=kwargs),
        "theme": reverse("assessments:theme-detail", kwargs={**kwargs, "theme_slug": theme_slug}),
        "check": reverse("assessments:assessment-check", kwargs=kwargs),
        "submit": reverse("assessments:assessment-submit", kwargs=kwargs),
    }


def test_pages_render_for_an_editor(assessment, editor):
    client = client_for(editor)
    urls = _urls(assessment)
    for name in ("tasks", "theme", "check"):
        response = client.get(urls[name])
        assert response.status_code == 200, name
    response = client.get(assessment.region.get_absolute_url())
    assert "Baseline, day 1" in response.content.decode()


def test_saving_a_theme_keeps_the_answers(assessment, editor):
    client = client_for(editor)
    urls = _urls(assessment)
    questions = list(assessment.bank.themes.get(slug="theme-1").questions.all())
    data = {f"q{q.pk}": "2" for q in questions} | {f"q{questions[0].pk}-note": "A caveat"}
    response = client.post(urls["theme"], data | {"continue": ""})
    assert response.status_code == 302
    assert response["Location"].endswith("/themes/theme-2/")
    assert Answer.objects.filter(assessment=assessment).count() == 3
    page = client.get(urls["tasks"]).content.decode()
    assert "3 of 6 questions answered" in page
