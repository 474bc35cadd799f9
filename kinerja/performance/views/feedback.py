"""Feedback on a plan, performance dialogs and their agreed actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.core.http import safe_next
from kinerja.organisation import access

from .. import selectors, services
from ..forms import ActionForm, CommentForm, DialogForm
from ..models import AgreedAction
from ._shared import act, error_messages

# --- Feedback and dialog -----------------------------------------------------------------


@login_required
@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(user=request.user, plan_id=pk)
    if not access.can_comment_on_plan(request.user, plan):
        raise Http404
    form = CommentForm(request.POST)
    next_url = safe_next(request, reverse("performance:plan_detail", args=[plan.pk]))
    if not form.is_valid():
        written = str(request.POST.get("body", "")).strip()
        if written and "body" in form.errors:  # e.g. longer than the limit: say which limit
            messages.error(
                request, _("Umpan balik belum dikirim: %(e)s") % {"e": form.errors["body"][0]}
            )
        else:
            messages.error(request, _("Tulis umpan balik terlebih dahulu."))
        return redirect(next_url)
    target, target_id = form.cleaned_data["target"], form.cleaned_data["target_id"]
    model = {"realisation": "realisations", "rhk": "rhks", "behaviour": "behaviours"}[target]
    lookup = {
        "realisation": {"indicator__rhk__plan": plan},
        "rhk": {"plan": plan},
        "behaviour": {"plan": plan},
    }[target]
    from .. import models as m

    klass = {"realisations": m.Realisation, "rhks": m.Rhk, "behaviours": m.BehaviourExpectation}[
        model
    ]
    obj = klass.objects.filter(pk=target_id, **lookup).first()
    if obj is None:
        raise Http404
    try:
        services.comment_add(
            plan=plan, by=request.user, body=form.cleaned_data["body"], **{target: obj}
        )
        messages.success(request, _("Umpan balik terkirim."))
    except ValidationError as exc:
        error_messages(request, exc)
    return redirect(next_url)


@login_required
@require_http_methods(["GET", "POST"])
def dialog_list(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(user=request.user, plan_id=pk)
    can_write = (
        access.is_plan_owner(request.user, plan)
        or access.is_plan_assessor(request.user, plan)
        or access.is_above(request.user, plan.employee)
    )
    form = DialogForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST":
        if not can_write:
            raise Http404
        if form.is_valid():
            try:
                services.dialog_create(
                    plan=plan,
                    by=request.user,
                    held_on=form.cleaned_data["held_on"],
                    participants=form.cleaned_data["participants"],
                    notes=form.cleaned_data["notes"],
                    actions=form.actions(),
                )
                messages.success(request, _("Dialog kinerja dicatat."))
                return redirect("performance:dialog_list", pk=plan.pk)
            except ValidationError as exc:
                form.add_error(None, exc)
    return render(
        request,
        "performance/dialog_list.html",
        {
            "plan": plan,
            "form": form,
            "can_write": can_write,
            "action_form": ActionForm(),
            "today": timezone.localdate(),
            "dialogs": plan.dialogs.select_related("created_by").prefetch_related("actions"),
        },
    )


@login_required
@require_POST
def action_update(request: HttpRequest, action_id: int) -> HttpResponse:
    action = get_object_or_404(AgreedAction.objects.select_related("dialog__plan"), pk=action_id)
    plan = selectors.plan_get_for_user(user=request.user, plan_id=action.dialog.plan_id)
    form = ActionForm(request.POST)
    if form.is_valid():
        act(
            request,
            lambda: services.action_update(action=action, by=request.user, **form.cleaned_data),
            _("Tindak lanjut diperbarui."),
        )
    return redirect("performance:dialog_list", pk=plan.pk)
