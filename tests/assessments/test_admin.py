from django.urls import reverse

from assessments import services
from assessments.models import Answer
from tests.accounts.factories import verified_client
from tests.assessments.factories import UserFactory


def test_the_admin_shows_assessments_and_answers_read_only(assessment, editor):
    question = assessment.bank.themes.get(slug="theme-1").questions.first()
    services.answer_save(
        assessment=assessment,
        question=question,
        user=editor,
        data={"selected_values": ["2"]},
        expected_revision=0,
    )
    # A superuser reaches the admin only after the code step (accounts).
    admin = verified_client(UserFactory(is_staff=True, is_superuser=True))
    answer = Answer.objects.get()
    for url in [
        reverse("admin:assessments_assessment_changelist"),
        reverse("admin:assessments_assessment_change", args=[assessment.pk]),
        reverse("admin:assessments_answer_change", args=[answer.pk]),
        reverse("admin:assessments_answercomment_changelist"),
    ]:
        response = admin.get(url)
        assert response.status_code == 200, url
        assert b'name="_save"' not in response.content
    assert admin.get(reverse("admin:assessments_assessment_add")).status_code == 403
