"""The database itself refuses bad conversation rows: the seed's score CHECKs (1–4) and the CHECK
behind each ENUM. Writes bypass model validation (`QuerySet.update`); each refused value is paired
with the boundary value beside it being accepted, and the error must name the constraint."""

import uuid
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from conversations.models import COMPLETENESS_FIELDS, SCORE_FIELDS, ConversationLog
from tests.factories import ConversationFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def _refused(pk, **values):
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        ConversationLog.objects.filter(pk=pk).update(**values)
    return str(excinfo.value)


def _accepted(pk, **values):
    assert ConversationLog.objects.filter(pk=pk).update(**values) == 1
    assert ConversationLog.objects.values(*values).get(pk=pk) == values


# (constraint, bad values, good values at the boundary)
ENUM_CASES = [
    ("conversation_log_interaction_type_valid", {"interaction_type": "chat"}, {"interaction_type": "support"}),
    ("conversation_log_aos_phase_valid", {"aos_phase": "farewell"}, {"aos_phase": "negotiation"}),
    ("conversation_log_aos_phase_valid", {"aos_phase": ""}, {"aos_phase": None}),
    ("conversation_log_outcome_valid", {"outcome": "won"}, {"outcome": "follow_up_scheduled"}),
    ("conversation_log_outcome_valid", {"outcome": ""}, {"outcome": None}),
    ("conversation_log_scored_as_valid", {"scored_as": "peer"}, {"scored_as": "manager"}),
    ("conversation_log_scored_as_valid", {"scored_as": ""}, {"scored_as": None}),
]

# Every score column: 0 and 5 are refused, the edges 1 and 4 are accepted.
SCORE_CASES = [
    (f"conversation_log_{column}_1_to_4", {column: bad}, {column: good})
    for column in SCORE_FIELDS
    for bad, good in ((0, 1), (5, 4))
]


# Stored completeness: a fraction of the checklist, 0 to 1.
COMPLETENESS_CASES = [
    (f"conversation_log_{column}_0_to_1", {column: bad}, {column: good})
    for column in COMPLETENESS_FIELDS
    for bad, good in ((Decimal("-0.01"), Decimal("0.00")), (Decimal("1.01"), Decimal("1.00")))
]


@pytest.mark.parametrize(("constraint", "bad", "good"), ENUM_CASES + SCORE_CASES + COMPLETENESS_CASES)
def test_conversation_constraint(constraint, bad, good):
    conversation = ConversationFactory()

    assert constraint in _refused(conversation.pk, **bad)

    _accepted(conversation.pk, **good)


def test_there_are_six_score_columns_and_all_may_be_unscored():
    conversation = ConversationFactory()

    assert len(SCORE_FIELDS) == 6
    _accepted(conversation.pk, **dict.fromkeys(SCORE_FIELDS, 4))
    _accepted(conversation.pk, **dict.fromkeys(SCORE_FIELDS))


def test_interaction_type_is_not_null():
    conversation = ConversationFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        ConversationLog.objects.filter(pk=conversation.pk).update(interaction_type=None)

    conversation.refresh_from_db()
    assert conversation.interaction_type == "initial_inquiry"


def test_project_foreign_key_refuses_unknown_project():
    # Foreign keys are deferred to commit on both databases; check_constraints forces the check now.
    conversation = ConversationFactory()
    other_project = ProjectFactory()

    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        ConversationLog.objects.filter(pk=conversation.pk).update(project_id=uuid.uuid4())
        connection.check_constraints(table_names=["conversation_log"])
    assert "project_id" in str(excinfo.value)

    ConversationLog.objects.filter(pk=conversation.pk).update(project_id=other_project.pk)
    connection.check_constraints(table_names=["conversation_log"])
    conversation.refresh_from_db()
    assert conversation.project == other_project


def test_every_conversation_constraint_is_covered():
    covered = {case[0] for case in ENUM_CASES + SCORE_CASES + COMPLETENESS_CASES}

    assert {constraint.name for constraint in ConversationLog._meta.constraints} == covered
