from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aos_crm.concurrency import StaleEdit
from archive import guards as archive_guards
from history import selectors as history_selectors
from projects.models import Project
from quotes import lifecycle, services
from quotes import pdf as quote_pdfs
from quotes.forms import QuoteForm, TransitionForm
from quotes.models import Quote, QuoteStatus


def _apply_errors(form, error):
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@require_http_methods(["GET", "POST"])
@permission_required("quotes.add_quote", raise_exception=True)
def quote_new(request, project_id):
    """A quote from the project's selected products: the lines and totals are previewed first."""
    project = get_object_or_404(Project.objects.select_related("customer"), pk=project_id)
    if archive_guards.is_archived(project):
        return archive_guards.refused(request, project)
    form = QuoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            quote = services.quote_create(
                project=project,
                associate=request.user,
                tax_rate=form.cleaned_data["tax_rate"],
                delivery_fee=form.cleaned_data["delivery_fee"],
                expiration_date=form.cleaned_data["expiration_date"],
                special_instructions=form.cleaned_data["special_instructions"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"Quote {quote.quote_number} created.")
            return redirect("quotes:detail", quote.pk)
    lines = services.quote_lines(project)
    preview = services.totals(
        subtotal=sum((Decimal(line["line_total"]) for line in lines), Decimal("0.00")),
        tax_rate=settings.STORE_TAX_RATE,
        delivery_fee=Decimal("0.00"),
    )
    context = {"project": project, "form": form, "lines": lines, "preview": preview}
    return render(request, "quotes/quote_new.html", context)


def _document_context(quote):
    project = quote.project
    today = timezone.localdate()
    groups = []
    for line in quote.lines:
        key = (line.get("room", ""), line.get("surface", ""))
        if not groups or groups[-1]["key"] != key:
            groups.append({"key": key, "room": key[0], "surface": key[1], "lines": []})
        groups[-1]["lines"].append(line)
    return {
        "quote": quote,
        "project": project,
        "customer": project.customer,
        "groups": groups,
        "status": quote.status_on(today),
        "store_name": settings.STORE_NAME,
        "validity_days": settings.QUOTE_VALIDITY_DAYS,
    }


def _quote(quote_id) -> Quote:
    return get_object_or_404(Quote.objects.select_related("project__customer", "sales_associate"), pk=quote_id)


@require_GET
@permission_required("quotes.view_quote", raise_exception=True)
def quote_detail(request, quote_id):
    """The quote as a printable page, with its lifecycle actions."""
    quote = _quote(quote_id)
    context = _document_context(quote)
    newest = Quote.objects.newest_for_project(quote.project_id)
    actions = lifecycle.next_actions(context["status"])
    if newest.pk != quote.pk:
        # Only the newest revision may be sent or accepted; the service refuses it too.
        actions = [(value, label) for value, label in actions if value not in (QuoteStatus.SENT, QuoteStatus.ACCEPTED)]
    context["actions"] = actions
    context["newest"] = newest
    context["superseded"] = list(
        Quote.objects.filter(project_id=quote.project_id, status_reason=services.superseded_by(quote))
        .exclude(pk=quote.pk)
        .values_list("quote_number", flat=True)
    )
    context["changes"] = history_selectors.panel(request, table="quotes", object_id=quote.pk)
    return render(request, "quotes/quote_detail.html", context)


@require_GET
@permission_required("quotes.view_quote", raise_exception=True)
def quote_pdf(request, quote_id):
    """The same document as a PDF (WeasyPrint), to email or print; rendered once per state of the
    quote and then served from the cache (quotes/pdf.py)."""
    quote = _quote(quote_id)
    html = render_to_string("quotes/quote_pdf.html", _document_context(quote), request=request)
    pdf = quote_pdfs.quote_pdf(quote_id=quote.pk, html=html, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{quote.quote_number}.pdf"'
    # It carries the customer's name and address: browsers may keep it, shared caches may not.
    patch_cache_control(response, private=True)
    return response


@require_POST
@permission_required("quotes.change_quote", raise_exception=True)
def quote_transition(request, quote_id):
    quote = _quote(quote_id)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Unknown quote status.")
        return redirect("quotes:detail", quote.pk)
    try:
        services.quote_transition(quote=quote, to=form.cleaned_data["to"], version=form.cleaned_data.get("version"))
    except StaleEdit as error:
        # Someone moved or changed the quote since this page was drawn: nothing is written, and
        # the page shows the quote as it is now.
        status = error.current.get_quote_status_display() if error.current else "removed"
        messages.error(
            request,
            f"Someone else changed quote {quote.quote_number} while you were looking at it — Status: {status}. "
            "Nothing was saved: check the quote below and choose again.",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Quote {quote.quote_number} marked {form.cleaned_data['to']}.")
    return redirect("quotes:detail", quote.pk)
