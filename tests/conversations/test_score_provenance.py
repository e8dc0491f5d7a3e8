"""Issue 13 item 7: who scored and when. A manager's score is never replaced by the associate's
self-assessment; both are kept and shown on the manager's score page."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from conversations import reviews, services
from conversations.models import ConversationLog, ScoredAs, ScoreRecord
from tests.factories import ConversationFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def _open(associate):
    return ConversationFactory(
        project=ProjectFactory(sales_associate=associate),
        sales_associate=associate,
        conversation_date=timezone.now() - timedelta(hours=1),
    )


def _close_data(**scores):
    return {"outcome": "lost", **{f"aos_score_{name}": value for name, value in scores.items()}}


def test_a_close_with_scores_is_a_self_assessment_by_the_associate(associate):
    conversation = _open(associate)
    services.conversation_close(conversation=conversation, data=_close_data(overall=3, greeting=4), by=associate)
    row = ConversationLog.objects.get(pk=conversation.pk)
    assert (row.aos_score_overall, row.aos_score_greeting) == (3, 4)
    assert (row.scored_as, row.scored_by, row.scored_at is not None) == (ScoredAs.SELF, associate, True)
    (record,) = ScoreRecord.objects.filter(log_id=conversation.pk)
    assert (record.scored_as, record.scored_by, record.aos_score_overall) == (ScoredAs.SELF, associate, 3)


def test_a_managers_score_is_never_replaced_by_the_associates_close(associate, manager):
    conversation = _open(associate)
    reviews.score_conversation(
        conversation=conversation, manager=manager, scores={"aos_score_overall": 2, "aos_score_close": 1}
    )
    conversation.refresh_from_db()
    services.close_draft_save(conversation=conversation, data={"aos_score_overall": 4}, by=associate)
    services.conversation_close(conversation=conversation, data=_close_data(overall=4, close=4), by=associate)
    row = ConversationLog.objects.get(pk=conversation.pk)
    assert (row.aos_score_overall, row.aos_score_close) == (2, 1), "the manager's scores stand"
    assert (row.scored_as, row.scored_by) == (ScoredAs.MANAGER, manager)
    own = ScoreRecord.objects.filter(log_id=conversation.pk, scored_as=ScoredAs.SELF).order_by("-scored_at")
    assert own[0].aos_score_overall == 4 and own[0].aos_score_close == 4, "the self-assessment is kept"
    assert own.count() == 2, "the draft and the close"


def test_a_manager_may_rescore_after_the_self_assessment(associate, manager):
    conversation = _open(associate)
    services.conversation_close(conversation=conversation, data=_close_data(overall=4), by=associate)
    reviews.score_conversation(conversation=conversation, manager=manager, scores={"aos_score_overall": 2})
    row = ConversationLog.objects.get(pk=conversation.pk)
    assert (row.aos_score_overall, row.scored_as, row.scored_by) == (2, ScoredAs.MANAGER, manager)
    assert set(ScoreRecord.objects.filter(log_id=conversation.pk).values_list("scored_as", flat=True)) == {
        ScoredAs.SELF,
        ScoredAs.MANAGER,
    }


def test_an_unchanged_draft_does_not_add_records(associate):
    conversation = _open(associate)
    for _ in range(3):
        services.close_draft_save(conversation=conversation, data={"aos_score_overall": 3}, by=associate)
    assert ScoreRecord.objects.filter(log_id=conversation.pk).count() == 1
    services.close_draft_save(conversation=conversation, data={"aos_score_overall": None}, by=associate)
    assert ConversationLog.objects.get(pk=conversation.pk).aos_score_overall is None


def test_the_score_page_shows_both_with_who_and_when(associate, manager):
    conversation = _open(associate)
    reviews.score_conversation(conversation=conversation, manager=manager, scores={"aos_score_overall": 2})
    conversation.refresh_from_db()
    services.conversation_close(conversation=conversation, data=_close_data(overall=4), by=associate)
    client = Client()
    client.force_login(manager)
    response = client.get(f"/reviews/conversations/{conversation.pk}/score/")
    html = response.content.decode()
    rows = {row["name"]: row for row in response.context["rows"]}
    assert (rows["aos_score_overall"]["manager_score"], rows["aos_score_overall"]["self_score"]) == (2, 4)
    assert "Manager: <strong>2</strong>" in html and "Self: <strong>4</strong>" in html
    assert f"by {manager.get_full_name()}" in html and f"by {associate.get_full_name()}" in html


def test_the_close_page_offers_the_associates_own_scores_not_the_managers(associate, manager):
    conversation = _open(associate)
    services.close_draft_save(conversation=conversation, data={"aos_score_overall": 3}, by=associate)
    conversation.refresh_from_db()
    reviews.score_conversation(conversation=conversation, manager=manager, scores={"aos_score_overall": 1})
    client = Client()
    client.force_login(associate)
    response = client.get(f"/conversations/{conversation.pk}/close/")
    assert response.context["close_form"]["aos_score_overall"].value() == 3
    assert 'data-testid="manager-scored"' in response.content.decode()
