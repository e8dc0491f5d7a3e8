"""Issue 13 item 6: every seed phase reachable, and the phase moves recorded. The close page records
an objection handled or a price negotiated (the seed's `objection_handling` and `negotiation`), with a
note; the wizard's moves are kept (phase, when, who) so a manager sees how long each phase took."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from conversations import selectors, services
from conversations.models import ConversationLog, PhaseMove
from tests.factories import CustomerFactory, ProjectFactory

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def _started(associate):
    customer = CustomerFactory()
    return services.conversation_start(
        associate=associate, customer=customer, project=ProjectFactory(customer=customer)
    )


def _phases(conversation) -> list[str]:
    return list(
        PhaseMove.objects.filter(log_id=conversation.pk).order_by("entered_at").values_list("aos_phase", flat=True)
    )


def test_the_wizards_moves_are_recorded_once_each_with_who(associate, manager):
    conversation = _started(associate)
    services.conversation_advance(conversation=conversation, phase="needs", by=associate)
    services.conversation_advance(conversation=conversation, phase="needs", by=associate)  # staying is no move
    services.conversation_advance(conversation=conversation, phase="design", by=manager)
    assert _phases(conversation) == ["greeting", "needs_assessment", "design_details"]
    last = PhaseMove.objects.filter(log_id=conversation.pk).order_by("-entered_at").first()
    assert last.entered_by == manager


def test_history_says_how_long_each_phase_took(associate):
    conversation = _started(associate)
    start = timezone.now() - timedelta(minutes=30)
    PhaseMove.objects.filter(log_id=conversation.pk).update(entered_at=start)
    move = PhaseMove.objects.create(log_id=conversation.pk, aos_phase="needs_assessment", entered_by=associate)
    PhaseMove.objects.filter(pk=move.pk).update(entered_at=start + timedelta(minutes=12))
    history = selectors.phase_history(conversation)
    assert [(e["label"], e["minutes"], e["running"]) for e in history] == [
        ("Greeting", 12, False),
        ("Needs assessment", None, True),
    ]
    ConversationLog.objects.filter(pk=conversation.pk).update(closed_at=start + timedelta(minutes=20))
    conversation.refresh_from_db()
    assert selectors.phase_history(conversation)[-1]["minutes"] == 8


@pytest.mark.parametrize(
    ("kind", "label"), [("objection_handling", "Objection handled"), ("negotiation", "Price negotiated")]
)
def test_the_close_page_records_an_objection_or_a_negotiation_as_a_plain_post(associate_client, associate, kind, label):
    conversation = _started(associate)
    services.conversation_advance(conversation=conversation, phase="close", by=associate)
    response = associate_client.post(
        f"/conversations/{conversation.pk}/close/moments/", {"kind": kind, "note": "Matched the online price"}
    )
    assert response.status_code == 302 and response["Location"].endswith("/close/")
    conversation.refresh_from_db()
    assert conversation.aos_phase == kind
    move = PhaseMove.objects.get(log_id=conversation.pk, aos_phase=kind)
    assert (move.note, move.entered_by) == ("Matched the online price", associate)
    page = associate_client.get(response["Location"]).content.decode()
    assert label in page and "Matched the online price" in page
    # the conversation resumes on the close page
    assert associate_client.get(f"/conversations/{conversation.pk}/")["Location"].endswith("/close/")


def test_the_close_moment_swaps_its_card_with_htmx_and_refuses_a_bad_kind(associate_client, associate):
    conversation = _started(associate)
    response = associate_client.post(
        f"/conversations/{conversation.pk}/close/moments/", {"kind": "negotiation", "note": ""}, headers=HX
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div class="card shadow-sm mt-3" id="close-moments"')
    assert 'data-testid="moments-recorded"' in html
    bad = associate_client.post(
        f"/conversations/{conversation.pk}/close/moments/", {"kind": "bribery", "note": "x" * 501}, headers=HX
    )
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "Keep the note under 500 characters." in text
    assert "Choose “Objection handled” or “Price negotiated”." in text
    assert "x" * 501 in text, "what was typed is kept"
    assert PhaseMove.objects.filter(log_id=conversation.pk, aos_phase="negotiation").count() == 1


def test_a_closed_conversation_takes_no_moments(associate_client, associate):
    conversation = _started(associate)
    services.conversation_close(conversation=conversation, data={"outcome": "lost"}, by=associate)
    associate_client.post(f"/conversations/{conversation.pk}/close/moments/", {"kind": "negotiation"})
    assert not PhaseMove.objects.filter(log_id=conversation.pk, aos_phase="negotiation").exists()


def test_the_summary_and_the_managers_score_page_show_the_history(associate, manager):
    conversation = _started(associate)
    services.conversation_advance(conversation=conversation, phase="close", by=associate)
    services.close_moment(conversation=conversation, kind="objection_handling", note="Lead time", by=associate)
    services.conversation_close(conversation=conversation, data={"outcome": "lost"}, by=associate)
    for user, url in (
        (associate, f"/conversations/{conversation.pk}/summary/"),
        (manager, f"/reviews/conversations/{conversation.pk}/score/"),
    ):
        client = Client()
        client.force_login(user)
        html = client.get(url).content.decode()
        assert 'data-testid="phase-history"' in html, url
        for text in ("Greeting", "Close", "Objection handling", "Lead time"):
            assert text in html, (url, text)
