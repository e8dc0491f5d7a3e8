"""Nothing unbounded: every list that grows with the store's history shows 25 a page (or a capped
window with a "more" link), page links keep the query string, and a page costs the same number of
queries whether the store has 30 rows or 60."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aos_crm.pagination import PAGE_SIZE, page_number, window
from aos_crm.templatetags.aos_tags import page_url
from tests.factories import (
    ConversationFactory,
    CustomerFactory,
    ProductFactory,
    ProjectFactory,
    QuoteFactory,
)

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def count_queries(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response, len(queries)


def hrefs(html):
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]*)"', html)]


# --- the helpers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "number"), [(None, 1), ("", 1), ("abc", 1), ("0", 1), ("-3", 1), ("2", 2), ("99999999", 1000)]
)
def test_page_number_never_fails(raw, number):
    assert page_number(raw) == number


def test_window_reads_one_row_more_than_it_shows():
    rows = list(range(20))
    first = window(rows, size=8)
    assert (first.rows, first.has_more, first.next_number) == (rows[:8], True, 2)
    last = window(rows, size=8, number=3)
    assert (last.rows, last.has_more, last.next_number) == (rows[16:], False, None)
    exact = window(rows[:8], size=8)
    assert (len(exact), exact.has_more) == (8, False)
    assert not window([], size=8)


def test_page_url_keeps_the_rest_of_the_query_string():
    request = RequestFactory().get("/customers/", {"q": "Río & Co", "projects_page": "3", "page": "2"})
    assert page_url({"request": request}, "page", 4) == "?q=R%C3%ADo+%26+Co&projects_page=3&page=4"
    assert page_url({"request": request}, "page", 1) == "?q=R%C3%ADo+%26+Co&projects_page=3"
    assert page_url({"request": RequestFactory().get("/customers/", {"page": "2"})}, "page", 1) == "?"


# --- the paginated lists -----------------------------------------------------------------------


@dataclass
class Listing:
    """A paginated list on a page: where it is, its page parameter, its context name, and how to
    add `n` more rows to it."""

    url: str
    param: str
    key: str
    grow: Callable[[int], object]

    def page(self, number):
        return f"{self.url}{'&' if '?' in self.url else '?'}{self.param}={number}"


def _open_conversations(associate):
    project = ProjectFactory(sales_associate=associate)
    start = timezone.now()

    def grow(n):
        for _ in range(n):
            ConversationFactory(
                project=project, conversation_date=start - timedelta(seconds=project.conversations.count())
            )

    return Listing(reverse("conversations:list"), "page", "page", grow)


def _customers(associate):
    return Listing(reverse("customers:list"), "page", "page", CustomerFactory.create_batch)


def _customer_search(associate):
    CustomerFactory.create_batch(3, last_name="Elsewhere")
    return Listing(
        reverse("customers:list") + "?q=pagewell",
        "page",
        "page",
        lambda n: CustomerFactory.create_batch(n, last_name="Pagewell"),
    )


def _customer_projects(associate):
    customer = CustomerFactory()
    return Listing(
        reverse("customers:detail", args=[customer.pk]),
        "projects_page",
        "projects",
        lambda n: ProjectFactory.create_batch(n, customer=customer, sales_associate=associate),
    )


def _customer_conversations(associate):
    project = ProjectFactory(sales_associate=associate)
    return Listing(
        reverse("customers:detail", args=[project.customer_id]),
        "conversations_page",
        "conversations",
        lambda n: ConversationFactory.create_batch(n, project=project),
    )


def _project_quotes(associate):
    project = ProjectFactory(sales_associate=associate)
    return Listing(
        reverse("projects:detail", args=[project.pk]),
        "quotes_page",
        "quotes",
        lambda n: QuoteFactory.create_batch(n, project=project),
    )


def _project_conversations(associate):
    project = ProjectFactory(sales_associate=associate)
    return Listing(
        reverse("projects:detail", args=[project.pk]),
        "conversations_page",
        "conversations",
        lambda n: ConversationFactory.create_batch(n, project=project),
    )


LISTS = {
    "open conversations": _open_conversations,
    "customers": _customers,
    "customer search": _customer_search,
    "customer's projects": _customer_projects,
    "customer's conversations": _customer_conversations,
    "project's quotes": _project_quotes,
    "project's conversations": _project_conversations,
}

# Queries per page: session, user, the user's and the groups' permissions, then a COUNT and the
# page's rows for each list on the page (an empty list costs its COUNT only). The customer page
# reads the customer, the project page the project and its rooms (none here, so no surfaces or
# selections to prefetch).
# session, the user with their permissions (aos_crm.auth_backend), the list's page ×2, and:
PINS = {
    "open conversations": 4,
    "customers": 4,
    "customer search": 5,  # + the matches' keys first (Customer.objects.search_ordered)
    "customer's projects": 6,  # + customer, projects ×2, conversations (none) ×1
    "customer's conversations": 7,  # + customer, projects (one) ×2, conversations ×2
    "project's quotes": 7,  # + project, rooms, quotes ×2, conversations (none) ×1
    "project's conversations": 7,  # + project, rooms, quotes (none) ×1, conversations ×2
}


@pytest.fixture(params=sorted(LISTS))
def listing(request, associate):
    return LISTS[request.param](associate), request.param


def test_sixty_rows_show_twenty_five_a_page_and_the_pages_hold_them_all(listing, associate_client):
    listing, _ = listing
    listing.grow(60)
    seen = []
    for number, expected in [(1, 25), (2, 25), (3, 10)]:
        response = associate_client.get(listing.page(number))
        page = response.context[listing.key]
        assert page.paginator.count == 60
        assert len(page.object_list) == expected
        seen += [row.pk for row in page.object_list]
        links = hrefs(response.content.decode())
        # The page links keep the query string (the search) and change only this list's page.
        searching = "?q=" in listing.url
        if number < 3:
            assert any(
                f"{listing.param}={number + 1}" in link and ("q=pagewell" in link) == searching for link in links
            )
        else:
            assert not any(f"{listing.param}=4" in link for link in links)
    assert len(set(seen)) == 60
    # Out of range or malformed: the nearest page, never an error.
    assert len(associate_client.get(listing.page(99)).context[listing.key].object_list) == 10
    assert len(associate_client.get(listing.page("x")).context[listing.key].object_list) == 25


def test_a_short_list_has_no_page_links(listing, associate_client):
    listing, _ = listing
    listing.grow(3)
    response = associate_client.get(listing.url)
    assert len(response.context[listing.key].object_list) == 3
    assert 'data-testid="pagination"' not in response.content.decode()


def test_queries_per_page_are_pinned_and_do_not_grow(listing, associate_client, django_assert_num_queries):
    listing, name = listing
    listing.grow(30)
    _, small = count_queries(associate_client, listing.page(2))
    listing.grow(30)
    _, big = count_queries(associate_client, listing.page(2))
    assert big == small
    with django_assert_num_queries(PINS[name]):
        associate_client.get(listing.page(2))


def test_the_customer_page_pages_its_two_lists_independently(associate, associate_client):
    customer = CustomerFactory()
    ProjectFactory.create_batch(30, customer=customer, sales_associate=associate)
    ConversationFactory.create_batch(30, project=customer.projects.first())
    url = reverse("customers:detail", args=[customer.pk])
    response = associate_client.get(url, {"projects_page": 2, "conversations_page": 2})
    assert len(response.context["projects"].object_list) == 5
    assert len(response.context["conversations"].object_list) == 5
    links = hrefs(response.content.decode())
    assert "?projects_page=2#conversations" in links  # back to conversations page 1 keeps projects page 2
    assert "?conversations_page=2#projects" in links


def test_open_conversations_are_newest_first_across_pages(associate, associate_client):
    _open_conversations(associate).grow(30)
    first = associate_client.get(reverse("conversations:list")).context["page"].object_list
    second = associate_client.get(reverse("conversations:list"), {"page": 2}).context["page"].object_list
    dates = [c.conversation_date for c in [*first, *second]]
    assert dates == sorted(dates, reverse=True)


def test_the_project_page_lists_its_conversations(associate, associate_client):
    project = ProjectFactory(sales_associate=associate)
    open_one = ConversationFactory(project=project, aos_phase="design_details")
    closed = ConversationFactory(project=project, closed_at=timezone.now(), outcome="quote_requested")
    html = associate_client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert reverse("conversations:resume", args=[open_one.pk]) in html
    assert reverse("conversations:summary", args=[closed.pk]) in html
    assert "Quote requested" in html and "Open — at Design &amp; details" in html


def test_the_summary_caps_the_projects_quotes_with_a_link_to_all(associate, associate_client):
    conversation = ConversationFactory(project__sales_associate=associate)
    QuoteFactory.create_batch(5, project=conversation.project)
    url = reverse("conversations:summary", args=[conversation.pk])
    html = associate_client.get(url).content.decode()
    assert html.count("Q-2026-") == 5 and 'data-testid="more-quotes"' not in html
    QuoteFactory(project=conversation.project)
    html = associate_client.get(url).content.decode()
    assert html.count("Q-2026-") == 5 and 'data-testid="more-quotes"' in html


# --- capped search results ---------------------------------------------------------------------


def _customers_named(n, name="Windowly"):
    return CustomerFactory.create_batch(n, last_name=name)


def test_customer_search_shows_eight_and_a_more_link_that_appends_the_next(associate_client):
    _customers_named(20)
    search = reverse("conversations:customer_search")
    first = associate_client.get(search, {"q": "windowly"}, **HX).content.decode()
    assert first.count("Continue with") == 8
    assert 'data-testid="more-results"' in first
    assert f'hx-get="{search}?q=windowly&amp;page=2"' in first
    assert f'href="{reverse("conversations:new")}?q=windowly&amp;page=2"' in first
    second = associate_client.get(search, {"q": "windowly", "page": 2}, **HX).content.decode()
    assert second.lstrip().startswith("<li")  # rows only: htmx puts them in place of the link
    assert second.count("Continue with") == 8 and "page=3" in second
    third = associate_client.get(search, {"q": "windowly", "page": 3}, **HX).content.decode()
    assert third.count("Continue with") == 4 and 'data-testid="more-results"' not in third


def test_customer_search_has_no_more_link_when_everything_shows(associate_client):
    _customers_named(8)
    html = associate_client.get(reverse("conversations:customer_search"), {"q": "windowly"}, **HX).content.decode()
    assert html.count("Continue with") == 8 and 'data-testid="more-results"' not in html


def test_customer_search_more_results_work_without_javascript(associate_client):
    _customers_named(12)
    response = associate_client.get(reverse("conversations:new"), {"q": "windowly", "page": 2})
    html = response.content.decode()
    assert "<html" in html and html.count("Continue with") == 4
    assert 'data-testid="more-results"' not in html
    assert "First results" in html


def test_customer_search_queries_do_not_grow_with_the_matches(associate_client, django_assert_max_num_queries):
    _customers_named(10)
    search = reverse("conversations:customer_search")
    _, small = count_queries(associate_client, f"{search}?q=windowly&page=2", **HX)
    _customers_named(50)
    _, big = count_queries(associate_client, f"{search}?q=windowly&page=2", **HX)
    assert big == small
    with django_assert_max_num_queries(5):  # as the first page: the window reads nine rows, no COUNT
        associate_client.get(f"{search}?q=windowly&page=2", **HX)


@pytest.fixture
def design(associate):
    from tests.factories import SurfaceFactory

    conversation = ConversationFactory(project__sales_associate=associate, aos_phase="design_details")
    surface = SurfaceFactory(room__project=conversation.project)
    return conversation, surface


def _zircons(n, start=0):
    for i in range(start, start + n):
        ProductFactory(sku=f"ZRC-{i:04d}", product_name=f"Zircon glaze {i}")


def test_product_search_shows_eight_and_a_more_link_that_appends_the_next(associate_client, design):
    conversation, surface = design
    _zircons(20)
    search = reverse("conversations:product_search", args=[conversation.pk])
    first = associate_client.get(search, {"q": "zircon", "surface": surface.pk}, **HX).content.decode()
    assert first.count('aria-label="Add ') == 8 and 'data-testid="more-results"' in first
    design_page = reverse("conversations:phase", args=[conversation.pk, "design"])
    assert f"{design_page}?surface={surface.pk}&amp;q=zircon&amp;page=2#design-surface-{surface.pk}" in first
    second = associate_client.get(search, {"q": "zircon", "surface": surface.pk, "page": 2}, **HX).content.decode()
    assert second.lstrip().startswith("<li")
    assert "ZRC-0008" in second and "ZRC-0007" not in second and second.count('aria-label="Add ') == 8
    third = associate_client.get(search, {"q": "zircon", "surface": surface.pk, "page": 3}, **HX).content.decode()
    assert third.count('aria-label="Add ') == 4 and 'data-testid="more-results"' not in third


def test_product_search_more_results_work_without_javascript(associate_client, design):
    conversation, surface = design
    _zircons(12)
    page = reverse("conversations:phase", args=[conversation.pk, "design"])
    html = associate_client.get(page, {"q": "zircon", "surface": surface.pk, "page": 2}).content.decode()
    assert "<html" in html
    assert "ZRC-0011" in html and "ZRC-0003" not in html
    assert 'data-testid="more-results"' not in html and "First results" in html


def test_product_search_queries_do_not_grow_with_the_matches(associate_client, design, django_assert_max_num_queries):
    conversation, surface = design
    _zircons(10)
    search = reverse("conversations:product_search", args=[conversation.pk])
    query = f"{search}?q=zircon&surface={surface.pk}&page=2"
    _, small = count_queries(associate_client, query, **HX)
    _zircons(30, start=10)
    _, big = count_queries(associate_client, query, **HX)
    assert big == small
    with django_assert_max_num_queries(small):
        associate_client.get(query, **HX)


# --- the home page -----------------------------------------------------------------------------


def test_home_lists_are_capped_with_a_more_link_only_when_there_is_more(associate, associate_client):
    from conversations.models import ConversationLog

    project = ProjectFactory(sales_associate=associate)
    ConversationFactory.create_batch(10, project=project)
    html = associate_client.get(reverse("home")).content.decode()
    assert 'data-testid="more-open"' not in html and 'data-testid="more-followups"' not in html
    ConversationFactory(project=project)
    for _ in range(11):
        ConversationFactory(
            project__sales_associate=associate,
            closed_at=timezone.now(),
            outcome="follow_up_scheduled",
            next_contact_date=timezone.localdate() + timedelta(days=3),
        )
    assert ConversationLog.objects.followups_for(associate).count() == 11
    response = associate_client.get(reverse("home"))
    html = response.content.decode()
    assert len(response.context["open_conversations"]) == 10
    assert len(response.context["followups"]) == 10
    assert 'data-testid="more-open"' in html and 'data-testid="more-followups"' in html
    assert 'data-testid="more-customers"' in html  # 23 customers by now, 8 shown


def test_home_queries_do_not_grow(associate, associate_client, django_assert_max_num_queries):
    project = ProjectFactory(sales_associate=associate)
    ConversationFactory.create_batch(3, project=project)
    _, small = count_queries(associate_client, reverse("home"))
    ConversationFactory.create_batch(30, project=project)
    CustomerFactory.create_batch(30)
    _, big = count_queries(associate_client, reverse("home"))
    assert big == small
    with django_assert_max_num_queries(small):
        associate_client.get(reverse("home"))


def test_page_size_is_twenty_five():
    assert PAGE_SIZE == 25


# --- each page reads along an index (PostgreSQL) -------------------------------------------------


def _reads(associate):
    from conversations import selectors
    from customers.models import Customer
    from projects.models import Project
    from quotes.models import Quote

    project = ProjectFactory(sales_associate=associate)
    return {
        "idx_customers_created": Customer.objects.order_by("-created_at", "-customer_id"),
        "idx_customers_name": Customer.objects.search("pagewell").order_by("last_name", "first_name", "customer_id"),
        "idx_projects_customer_date": Project.objects.for_customer_page(project.customer_id),
        "idx_quotes_project_date": Quote.objects.for_project_page(project),
        "idx_conversation_associate": selectors.open_conversations(associate),
    }


@pytest.mark.parametrize(
    "index",
    [
        "idx_customers_created",
        "idx_customers_name",
        "idx_projects_customer_date",
        "idx_quotes_project_date",
        "idx_conversation_associate",
    ],
)
def test_each_page_reads_along_an_index(postgres_only, associate, index):
    queryset = _reads(associate)[index]
    with connection.cursor() as cursor:
        # Tiny test tables are cheaper to scan and sort: ask the planner for its indexed plan.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
    plan = queryset[:PAGE_SIZE].explain()
    assert index in plan, plan


# --- my follow-ups ----------------------------------------------------------------------------------


def _followups(associate, n, *, days_late=1):
    """n pending overdue follow-ups, each on its own project (a later conversation on the same
    project would answer the earlier one), oldest date first by index."""
    from conversations.models import ConversationLog

    today = timezone.localdate()
    made = []
    for i in range(n):
        conversation = ConversationFactory(
            project__sales_associate=associate,
            closed_at=timezone.now(),
            outcome="follow_up_scheduled",
            next_action=f"Call back #{i:03d}",
        )
        made.append(conversation.pk)
    # One UPDATE for the dates: `i` days late, so the queue's order is the creation order reversed.
    for i, pk in enumerate(made):
        ConversationLog.objects.filter(pk=pk).update(next_contact_date=today - timedelta(days=days_late + i))
    return made


def test_followup_sections_page_past_their_cap_with_a_working_more_link(associate, associate_client):
    from conversations import reviews

    size = reviews.FOLLOWUP_ROWS
    _followups(associate, size + 5)
    url = reverse("reviews:followups")
    response = associate_client.get(url)
    html = response.content.decode()
    overdue = {section["key"]: section for section in response.context["sections"]}["overdue"]
    assert overdue["total"] == size + 5
    assert len(overdue["rows"]) == size and html.count('data-testid="followup"') == size
    assert f"1–{size} by date" in html
    more = [link for link in hrefs(html) if "overdue_page=2" in link]
    assert more == ["?overdue_page=2#followups-overdue"]
    second = associate_client.get(url + more[0].split("#")[0])
    html2 = second.content.decode()
    assert html2.count('data-testid="followup"') == 5
    assert f"{size + 1}–{size + 5} by date" in html2
    assert 'data-testid="more-overdue"' not in html2
    assert "?#followups-overdue" in hrefs(html2)  # back to the first page
    # Oldest date first across the two pages, nothing twice, nothing lost.
    firsts = [c.next_contact_date for c in response.context["sections"][0]["rows"]]
    seconds = [c.next_contact_date for c in second.context["sections"][0]["rows"]]
    assert firsts + seconds == sorted(firsts + seconds) and len(set(firsts + seconds)) == size + 5
    # A page past the end or a malformed one: never an error.
    past = associate_client.get(url, {"overdue_page": "99"})
    assert past.status_code == 200 and past.content.decode().count('data-testid="followup"') == 5  # the last page
    assert "?#followups-overdue" in hrefs(past.content.decode())  # back to the first page
    assert len(associate_client.get(url, {"overdue_page": "x"}).context["sections"][0]["rows"]) == size


def test_followup_pages_cost_the_same_queries_however_long_the_queue(
    associate, associate_client, django_assert_num_queries
):
    from conversations import reviews

    url = reverse("reviews:followups") + "?overdue_page=2"
    _followups(associate, reviews.FOLLOWUP_ROWS + 2)
    _, small = count_queries(associate_client, url)
    _followups(associate, 30, days_late=400)
    _, big = count_queries(associate_client, url)
    assert big == small
    # session, the user with their permissions, the three counts in one, a window per section ×3
    with django_assert_num_queries(6):
        associate_client.get(url)


# --- a returning customer's projects ----------------------------------------------------------------


def _projects(customer, associate, n):
    from projects.models import Project

    made = ProjectFactory.create_batch(n, customer=customer, sales_associate=associate)
    # Distinct creation times, oldest first, so "newest" is well defined.
    start = timezone.now() - timedelta(days=n)
    for i, project in enumerate(made):
        Project.objects.filter(pk=project.pk).update(created_at=start + timedelta(days=i))
    return made


def test_a_returning_customer_offers_the_newest_projects_and_a_way_to_the_rest(associate, associate_client):
    from conversations.selectors import RETURNING_PROJECTS

    customer = CustomerFactory()
    made = _projects(customer, associate, RETURNING_PROJECTS + 5)
    url = reverse("conversations:new_for_customer", args=[customer.pk])
    response = associate_client.get(url)
    html = response.content.decode()
    offered = [value for value, _ in response.context["form"].fields["project"].choices]
    assert offered == ["new", *[str(p.pk) for p in reversed(made[-RETURNING_PROJECTS:])]]
    assert 'data-testid="older-projects"' in html
    assert f"{reverse('customers:detail', args=[customer.pk])}#projects" in hrefs(html)
    # The customer page's "Start follow-up" on an older project still preselects it, and posting works.
    oldest = made[0]
    response = associate_client.get(url, {"project": oldest.pk})
    assert f'<option value="{oldest.pk}" selected>' in response.content.decode()
    posted = associate_client.post(
        url, {"project": str(oldest.pk), "interaction_type": "followup", "installation_method": "unknown"}
    )
    assert posted.status_code == 302
    assert oldest.conversations.count() == 1


def test_a_returning_customer_with_few_projects_lists_them_all(associate, associate_client):
    customer = CustomerFactory()
    _projects(customer, associate, 3)
    response = associate_client.get(reverse("conversations:new_for_customer", args=[customer.pk]))
    assert len(response.context["form"].fields["project"].choices) == 4
    assert 'data-testid="older-projects"' not in response.content.decode()


def test_the_returning_start_costs_the_same_queries_however_many_projects(
    associate, associate_client, django_assert_num_queries
):
    customer = CustomerFactory()
    url = reverse("conversations:new_for_customer", args=[customer.pk])
    _projects(customer, associate, 12)
    _, small = count_queries(associate_client, url)
    _projects(customer, associate, 40)
    _, big = count_queries(associate_client, url)
    assert big == small
    # session, the user with their permissions, the customer, the newest projects (one more than shown)
    with django_assert_num_queries(4):
        associate_client.get(url)
