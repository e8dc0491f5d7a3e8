"""The AOS scores belong to their associate: a colleague who opens (or takes over) a conversation
records its outcome, next step and notes, but neither reads nor writes its scores; managers do."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conversations import services
from conversations.models import SCORE_FIELDS, ConversationLog, ScoredAs, ScoreRecord
from tests.factories import ConversationFactory, RoomFactory, SurfaceFactory

HX = {"HTTP_HX_REQUEST": "true"}
THEIRS = {
    "aos_score_greeting": 2,
    "aos_score_needs": 1,
    "aos_score_design": 2,
    "aos_score_close": 1,
    "aos_score_objection": 2,
    "aos_score_overall": 1,
}
# What would show a conversation's scores on any page or partial.
SCORE_MARKS = ('data-testid="score-aos_score_', 'name="aos_score_', 'data-testid="scores"', "manager-scored")


@pytest.fixture
def theirs(associate2):
    """associate2's open conversation on the close page, self-assessed."""
    conversation = ConversationFactory(project__sales_associate=associate2, aos_phase="close", **THEIRS)
    conversation.scored_as = ScoredAs.SELF
    conversation.scored_by = associate2
    conversation.scored_at = timezone.now()
    conversation.save()
    room = RoomFactory(project=conversation.project)
    SurfaceFactory(room=room)
    return conversation


def phase_url(conversation, slug="close"):
    return reverse("conversations:phase", args=[conversation.pk, slug])


def scores_of(conversation):
    fresh = ConversationLog.objects.get(pk=conversation.pk)
    return {name: getattr(fresh, name) for name in SCORE_FIELDS}


def shows_scores(html):
    return [mark for mark in SCORE_MARKS if mark in html]


def forged_close(**extra):
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    return {
        "go": "close",
        "outcome": "follow_up_scheduled",
        "conversation_summary": "Handed over: measured the kitchen",
        "next_action": "Call back with the grout colour",
        "next_contact_date": tomorrow.isoformat(),
        **dict.fromkeys(SCORE_FIELDS, "4"),
        **extra,
    }


def test_may_see_scores_is_the_associate_or_a_manager(theirs, associate, associate2, manager):
    assert services.may_see_scores(associate2, theirs)
    assert services.may_see_scores(manager, theirs)
    assert not services.may_see_scores(associate, theirs)


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_a_colleague_gets_no_score_on_the_close_page(client, associate, theirs, headers):
    client.force_login(associate)
    response = client.get(phase_url(theirs), **headers)
    html = response.content.decode()
    assert response.status_code == 200
    assert shows_scores(html) == []
    assert 'data-testid="scores-not-yours"' in html
    # the outcome, the next step and the notes are there to record
    for name in ("outcome", "conversation_summary", "next_action", "next_contact_date"):
        assert f'name="{name}"' in html


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_the_associate_and_a_manager_see_the_scores_on_the_close_page(client, associate2, manager, theirs, headers):
    for user in (associate2, manager):
        client.force_login(user)
        html = client.get(phase_url(theirs), **headers).content.decode()
        assert 'data-testid="score-aos_score_needs"' in html
        assert 'data-testid="scores-not-yours"' not in html


def test_a_colleague_gets_no_score_on_any_page_or_partial(client, associate, theirs):
    client.force_login(associate)
    pages = [
        ("close", "get", phase_url(theirs), {}),
        ("close panel", "get", phase_url(theirs), HX),
        # a refused close answers with the form again (no outcome chosen)
        ("close refused", "post", phase_url(theirs), {"go": "close"}),
        ("close refused htmx", "post", phase_url(theirs), {"go": "close", **HX}),
        ("design", "get", phase_url(theirs, "design"), {}),
        ("needs", "get", phase_url(theirs, "needs"), {}),
        ("summary", "get", reverse("conversations:summary", args=[theirs.pk]), {}),
        ("moment htmx", "post", reverse("conversations:close_moment", args=[theirs.pk]), {"kind": "negotiation", **HX}),
        ("customer", "get", reverse("customers:detail", args=[theirs.project.customer_id]), {}),
        ("project", "get", reverse("projects:detail", args=[theirs.project_id]), {}),
        ("home", "get", reverse("home"), {}),
        ("list", "get", reverse("conversations:list"), {}),
    ]
    for label, method, address, extra in pages:
        headers = {k: v for k, v in extra.items() if k.startswith("HTTP_")}
        data = {k: v for k, v in extra.items() if not k.startswith("HTTP_")}
        response = getattr(client, method)(address, data, **headers)
        assert response.status_code in (200, 302), label
        assert shows_scores(response.content.decode()) == [], label
    # the review pages of the colleague's scores are refused
    assert client.get(reverse("reviews:score", args=[theirs.pk])).status_code == 403
    assert client.get(reverse("reviews:associate", args=[theirs.sales_associate_id])).status_code in (403, 404)


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_a_forged_close_post_leaves_the_colleagues_scores_untouched(client, associate, theirs, headers):
    client.force_login(associate)
    response = client.post(phase_url(theirs), forged_close(), **headers)
    assert response.status_code == (200 if headers else 302)
    fresh = ConversationLog.objects.get(pk=theirs.pk)
    # closed with the outcome and notes the colleague recorded ...
    assert fresh.closed_at is not None
    assert (fresh.outcome, fresh.next_action) == ("follow_up_scheduled", "Call back with the grout colour")
    # ... and the six scores as their associate gave them, by them
    assert scores_of(theirs) == THEIRS
    assert (fresh.scored_as, fresh.scored_by_id) == (ScoredAs.SELF, theirs.sales_associate_id)
    assert not ScoreRecord.objects.filter(log_id=theirs.pk, scored_by=associate).exists()


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_a_forged_draft_save_leaves_the_colleagues_scores_untouched(client, associate, theirs, headers):
    client.force_login(associate)
    client.post(phase_url(theirs), forged_close(go="previous"), **headers)
    fresh = ConversationLog.objects.get(pk=theirs.pk)
    assert fresh.closed_at is None
    assert fresh.next_action == "Call back with the grout colour"
    assert scores_of(theirs) == THEIRS


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_the_associate_still_writes_their_own_scores(client, associate2, theirs, headers):
    client.force_login(associate2)
    client.post(phase_url(theirs), forged_close(), **headers)
    assert scores_of(theirs) == dict.fromkeys(SCORE_FIELDS, 4)


@pytest.mark.parametrize("write", ["close", "draft"])
def test_the_close_service_refuses_a_colleagues_scores(theirs, associate, write):
    data = {"outcome": "lost", "next_action": "", **dict.fromkeys(SCORE_FIELDS, 4)}
    service = services.conversation_close if write == "close" else services.close_draft_save
    with pytest.raises(ValidationError, match="your colleague's"):
        service(conversation=ConversationLog.objects.get(pk=theirs.pk), data=data, by=associate)
    fresh = ConversationLog.objects.get(pk=theirs.pk)
    assert (fresh.closed_at, fresh.outcome) == (None, None)
    assert scores_of(theirs) == THEIRS


def test_the_close_service_lets_a_colleague_close_without_scores(theirs, associate):
    data = {"outcome": "lost", "next_action": "Customer chose another store", **dict.fromkeys(SCORE_FIELDS)}
    services.conversation_close(conversation=ConversationLog.objects.get(pk=theirs.pk), data=data, by=associate)
    fresh = ConversationLog.objects.get(pk=theirs.pk)
    assert (fresh.outcome, fresh.closed_at is not None) == ("lost", True)
    assert scores_of(theirs) == THEIRS


def test_a_manager_may_score_a_colleagues_conversation_at_close(theirs, manager):
    data = {"outcome": "lost", **dict.fromkeys(SCORE_FIELDS, 3)}
    services.conversation_close(conversation=ConversationLog.objects.get(pk=theirs.pk), data=data, by=manager)
    assert scores_of(theirs) == dict.fromkeys(SCORE_FIELDS, 3)
