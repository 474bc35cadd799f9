"""Pages spanning every product: the citizens' portal (at / for anyone not logged in) and the
staff overview of public services (/layanan-publik/).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kinerja.core.http import querystring_without_page
from kinerja.organisation import access
from kinerja.rules.periods import Period

from . import common
from .complaints import selectors as complaint_selectors
from .complaints.forms import TrackForm
from .forum import selectors as forum_selectors
from .survey import selectors as survey_selectors
from .web import SearchForm, page_of


def portal(request: HttpRequest) -> HttpResponse:
    """The citizens' home page (at / for anyone not logged in): what they can do here, in plain
    words, on a phone: rate a service, file or track a complaint, the forum, the results."""
    return render(
        request,
        "public/portal.html",
        {"search_form": SearchForm(), "track_form": TrackForm()},
    )


# --- Staff: the overview ---------------------------------------------------------------------


@login_required
def staff_dashboard(request: HttpRequest) -> HttpResponse:
    """The units whose public services this user reads, with this year's figures."""
    readable = common.units_readable_by(request.user)
    form = SearchForm(request.GET or None)
    units = readable.select_related("opd").order_by("path")
    if form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"]
        units = units.filter(Q(name__icontains=q) | Q(code__icontains=q))
    page = page_of(request, units, 25)
    year = timezone.localdate().year
    period = Period.annual(year)
    ids = [u.pk for u in page.object_list]
    # A unit's row shows its own services; an OPD's row pools its whole tree.
    own = survey_selectors.survey_results_by(
        key="service__unit_id",
        scope=Q(service__unit_id__in=ids),
        start=period.start,
        end=period.end,
    )
    pooled = survey_selectors.survey_results_by(
        key="service__unit__opd_id",
        scope=Q(service__unit__opd_id__in=ids),
        start=period.start,
        end=period.end,
    )
    complaints_own = complaint_selectors.complaint_figures_by(
        key="unit_id", scope=Q(unit_id__in=ids), start=period.start, end=period.end
    )
    complaints_pooled = complaint_selectors.complaint_figures_by(
        key="unit__opd_id", scope=Q(unit__opd_id__in=ids), start=period.start, end=period.end
    )
    rows = [
        (u, pooled.get(u.pk), complaints_pooled.get(u.pk))
        if u.pk == u.opd_id
        else (u, own.get(u.pk), complaints_own.get(u.pk))
        for u in page.object_list
    ]
    overdue = (
        complaint_selectors.complaints_visible_to(request.user)
        .filter(clock_due__lt=timezone.now())
        .count()
    )
    pending = forum_selectors.moderation_queue(request.user).count()
    return render(
        request,
        "public/staff_dashboard.html",
        {
            "can_edit_questions": access.can_edit_survey_questions(request.user),
            "form": form,
            "page": page,
            "rows": rows,
            "year": year,
            "overdue": overdue,
            "pending": pending,
            "querystring": querystring_without_page(request),
            "is_regency_admin": access.is_regency_admin(request.user),
        },
    )
