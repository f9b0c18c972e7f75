import pytest
from django.urls import reverse

from notifications.models import Event, NotificationSettings
from tests.assessments.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/account/notifications/"


def test_the_url_and_its_name():
    assert reverse("notifications:settings") == URL


def test_everything_is_ticked_until_the_person_changes_it(client):
    user = UserFactory(email="ada@example.org")
    client.force_login(user)
    page = client.get(URL).content.decode()
    assert "Your email notifications" in page
    assert "ada@example.org" in page
    assert "govuk-checkboxes__input" in page
    for event in Event:
        assert f'value="{event.value}"' in page
        assert event.label.replace("'", "&#x27;") in page
    assert page.count('checked="checked"') == len(Event)
    assert not NotificationSettings.objects.exists()


def test_saving_keeps_only_the_ticked_ones_and_says_so(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(URL, {"events": [Event.THEME_ASSIGNED, Event.BRIEFING_FINISHED]})
    assert response.status_code == 302
    assert response["Location"] == URL
    saved = NotificationSettings.objects.get(user=user)
    assert saved.theme_assigned
    assert saved.briefing_finished
    assert not saved.invited
    assert not saved.comment_on_owned_theme

    page = client.get(URL).content.decode()
    assert "Your settings were saved" in page
    assert "govuk-notification-banner--success" in page
    assert page.count('checked="checked"') == 2


def test_unticking_everything_turns_every_email_off(client):
    user = UserFactory()
    client.force_login(user)
    client.post(URL, {})
    saved = NotificationSettings.objects.get(user=user)
    assert not any(saved.wants(event) for event in Event)


def test_an_unknown_event_is_an_error_and_saves_nothing(client):
    client.force_login(UserFactory())
    response = client.post(URL, {"events": ["everything"]})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not NotificationSettings.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("citydigital:sign-in"))
