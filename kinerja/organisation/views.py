from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.core import notifications
from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.http import file_response, querystring_without_page, safe_next
from kinerja.core.params import whole_number
from kinerja.core.tabular import XLSX_MIME, csv_bytes, xlsx_bytes
from kinerja.organisation import access

from . import imports, selectors, services, twofactor
from .forms import (
    DirectoryFilterForm,
    EmployeeForm,
    ImportForm,
    LoginForm,
    PasswordChangeForm,
    UserRoleForm,
)
from .models import Unit, User


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home:home")
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        assert form.user is not None
        if twofactor.is_enabled(form.user):
            # The password was right; the code from the app comes next (twofactor.py).
            twofactor.pending_start(request, form.user, safe_next(request, reverse("home:home")))
            return redirect("organisation:login_code")
        login(request, form.user)
        services.account_login_succeeded(user=form.user)
        return redirect(safe_next(request, reverse("home:home")))
    return render(
        request, "organisation/login.html", {"form": form, "next": request.GET.get("next", "")}
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    user_id = request.user.pk if request.user.is_authenticated else None
    if user_id is not None:
        audit_record(actor=request.user, action=AuditAction.LOGOUT, obj=request.user)
    logout(request)
    if user_id is not None:
        # The session is gone: wake this account's open pages' streams, which then find it
        # gone and stop (kinerja.monitoring.views.stream checks before it sends).
        notifications.unread_changed([user_id])
    messages.info(request, _("Anda telah keluar."))
    return redirect("organisation:login")


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.account_change_password(
            user=request.user, new_password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Kata sandi berhasil diganti."))
        return redirect("home:home")
    return render(request, "organisation/password_change.html", {"form": form})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    employee = request.user.employee if request.user.employee_id else None
    context = {"employee": employee, "can_two_factor": twofactor.may_use(request.user)}
    if employee is not None:
        employee = selectors.employees_visible_to(request.user).get(pk=employee.pk)
        reports = list(selectors.direct_reports(employee))
        context.update(
            employee=employee,
            history=selectors.employee_history(employee),
            reports=reports,
            openable=selectors.openable_ids(request.user, [employee.supervisor, *reports]),
            jp=_jp_available(),
        )
    return render(request, "organisation/profile.html", context)


def _jp_available() -> bool:
    """Whether the page shows the JP card (kinerja.competency loads it into the page, so this
    page's queries stay its own); False when competency is not installed."""
    from kinerja.core import figures

    return figures.is_available("competency.jp")


@login_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    return render(request, "organisation/unit_tree.html", {"roots": selectors.unit_tree()})


class CountedPaginator(Paginator):
    """A paginator told its count when it is known without counting the rows (None: it
    counts them)."""

    def __init__(self, object_list: Any, per_page: int, *, count: int | None) -> None:
        super().__init__(object_list, per_page)
        if count is not None:
            self.__dict__["count"] = count  # Paginator.count is a cached_property


@login_required
def employee_list(request: HttpRequest) -> HttpResponse:
    visible = selectors.employees_visible_to(request.user)
    opd_qs = selectors.opds()
    if not access.sees_all(request.user):
        opd_qs = opd_qs.filter(pk__in=visible.values("unit__opd_id"))
    form = DirectoryFilterForm(request.GET or None, opd_queryset=opd_qs)
    filters = form.cleaned_data if form.is_valid() else {"active": "1"}
    qs = selectors.employee_search(
        visible,
        q=filters.get("q") or "",
        opd=getattr(filters.get("opd"), "pk", None),
        unit=filters.get("unit"),
        status=filters.get("status") or "",
        kind=filters.get("kind") or "",
        active=filters.get("active") or "1",
    ).order_by("name", "nip")
    paginator = CountedPaginator(qs, 25, count=selectors.directory_count(request.user, filters))
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "querystring": querystring_without_page(request),
        "can_export": access.can_export_directory(request.user),
        "can_create": access.can_create_employee(request.user),
    }
    template = "organisation/employee_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


# A temporary password is shown once, on the employee's page that follows the reset, from the
# server-side session: never in a cookie (Django's default message storage keeps messages in a
# signed but readable cookie), never in a URL.
TEMPORARY_PASSWORD_KEY = "organisation.temporary_password"


def _hand_over_password(request: HttpRequest, employee_id: int, password: str) -> None:
    request.session[TEMPORARY_PASSWORD_KEY] = {"employee": employee_id, "password": password}


def _take_password(request: HttpRequest, employee_id: int) -> str | None:
    stored = request.session.get(TEMPORARY_PASSWORD_KEY)
    if not stored or stored.get("employee") != employee_id:
        return None
    del request.session[TEMPORARY_PASSWORD_KEY]
    return str(stored["password"])


@login_required
def employee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    employee = selectors.employee_get_for_user(user=request.user, employee_id=pk)
    can_manage = access.can_manage_employee(request.user, employee)
    account = selectors.account_for(employee) if can_manage else None
    # An Admin OPD sees the employee but not their account when it holds a higher role.
    managed_by_bkpsdm = not can_manage and access.is_opd_admin(request.user)
    reports = list(selectors.direct_reports(employee))
    temporary_password = _take_password(request, employee.pk) if can_manage else None
    response = render(
        request,
        "organisation/employee_detail.html",
        {
            "temporary_password": temporary_password,
            "employee": employee,
            "history": selectors.employee_history(employee),
            "reports": reports,
            "openable": selectors.openable_ids(request.user, [employee.supervisor, *reports]),
            "account": account,
            "can_manage": can_manage,
            "managed_by_bkpsdm": managed_by_bkpsdm,
            "role_form": UserRoleForm(instance=account)
            if account is not None and access.is_regency_admin(request.user)
            else None,
            "jp": _jp_available(),
        },
    )
    if temporary_password:
        response["Cache-Control"] = "no-store"
    return response


def _manageable_units(user: User):
    units = Unit.objects.filter(is_active=True).order_by("path")
    if not access.is_regency_admin(user):
        units = units.filter(opd_id=user.managed_opd_id)
    return units


@login_required
@require_http_methods(["GET", "POST"])
def employee_create(request: HttpRequest) -> HttpResponse:
    if not access.can_create_employee(request.user):
        raise Http404
    form = EmployeeForm(request.POST or None, units=_manageable_units(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            employee = services.employee_create(by=request.user, **form.service_fields())
            _user, password = services.account_create_for_employee(
                employee=employee, by=request.user
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, _("Pegawai %(name)s ditambahkan.") % {"name": employee.full_name}
            )
            _hand_over_password(request, employee.pk, password)
            return redirect("organisation:employee_detail", pk=employee.pk)
    return render(request, "organisation/employee_form.html", {"form": form, "employee": None})


@login_required
@require_http_methods(["GET", "POST"])
def employee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    employee = selectors.employee_get_for_user(user=request.user, employee_id=pk)
    if not access.can_manage_employee(request.user, employee):
        raise Http404
    form = EmployeeForm(
        request.POST or None, instance=employee, units=_manageable_units(request.user)
    )
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data.get("version")
        try:
            services.employee_update(
                employee=employee,
                by=request.user,
                reason=form.cleaned_data.get("reason") or "koreksi",
                note=form.cleaned_data.get("note") or "",
                expected_updated_at=version,  # a datetime or None (EmployeeForm.clean)
                **form.service_fields(),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Data pegawai disimpan."))
            return redirect("organisation:employee_detail", pk=employee.pk)
    return render(request, "organisation/employee_form.html", {"form": form, "employee": employee})


def _add_errors(form, exc: ValidationError) -> None:
    mapping = {"supervisor": "supervisor_nip"}
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            name = mapping.get(field, field)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
@require_POST
def employee_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    employee = selectors.employee_get_for_user(user=request.user, employee_id=pk)
    if not access.can_manage_employee(request.user, employee):
        raise Http404
    account = selectors.account_for(employee)
    if account is None:
        account, password = services.account_create_for_employee(employee=employee, by=request.user)
    else:
        password = services.account_reset_password(user=account, by=request.user)
    _hand_over_password(request, employee.pk, password)
    return redirect("organisation:employee_detail", pk=employee.pk)


@login_required
@require_POST
def employee_account_role(request: HttpRequest, pk: int) -> HttpResponse:
    employee = selectors.employee_get_for_user(user=request.user, employee_id=pk)
    if not access.is_regency_admin(request.user) or not access.can_manage_employee(
        request.user, employee
    ):
        raise Http404
    account = get_object_or_404(User, employee=employee)
    form = UserRoleForm(request.POST, instance=User.objects.get(pk=account.pk))
    if form.is_valid():
        try:
            services.account_update(user=account, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Peran akun disimpan."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("organisation:employee_detail", pk=employee.pk)


DIRECTORY_HEADERS = [c.header for c in imports.EMPLOYEE_COLUMNS] + ["OPD", "Jenis Jabatan"]


@login_required
def employee_export(request: HttpRequest) -> HttpResponse:
    if not access.can_export_directory(request.user):
        raise Http404
    data, filename, content_type = directory_export(user=request.user)
    return file_response(data, filename, content_type)


def directory_export(
    *, user: User, params: dict[str, Any] | None = None, progress: Any = None
) -> tuple[bytes, str, str]:
    """The directory as XLSX (the page's download, and the background export
    "organisation.directory" of kinerja.core.exports)."""
    if not access.can_export_directory(user):
        raise PermissionError
    visible = selectors.employees_visible_to(user).select_related(None).order_by("name")
    rows = (
        [
            e["nip"],
            e["name"],
            e["front_title"],
            e["back_title"],
            e["status"].upper(),
            e["golongan"].removeprefix("PPPK-"),
            e["position__name"],
            e["unit__code"],
            e["supervisor__nip"] or "",
            e["email"],
            e["phone"],
            "Ya" if e["is_active"] else "Tidak",
            e["unit__opd__name"],
            e["position__kind"],
        ]
        for e in visible.values(
            "nip",
            "name",
            "front_title",
            "back_title",
            "status",
            "golongan",
            "position__name",
            "unit__code",
            "supervisor__nip",
            "email",
            "phone",
            "is_active",
            "unit__opd__name",
            "position__kind",
        ).iterator(chunk_size=2000)
    )
    data = xlsx_bytes([("Pegawai", DIRECTORY_HEADERS, rows)])
    if progress is not None:
        progress(90)
    audit_record(
        actor=user,
        action=AuditAction.EXPORT,
        object_type="organisation.employee",
        object_repr="Ekspor direktori pegawai",
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return data, f"direktori-pegawai-{stamp}.xlsx", XLSX_MIME


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    if not access.can_manage_organisation(request.user):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        from django.conf import settings

        if upload.size > settings.IMPORT_MAX_BYTES:
            form.add_error(
                "file",
                _("Berkas terlalu besar (maksimal %(mb)d MB).")
                % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)},
            )
        elif not upload.name.lower().endswith((".xlsx", ".csv")):
            form.add_error("file", _("Hanya berkas .xlsx atau .csv yang dapat diimpor."))
        else:
            # Checked and applied by the task worker (kinerja.core.importjobs): a file of
            # 50,000 employees takes minutes, and nobody else may wait for it.
            from kinerja.core import importjobs

            job = importjobs.import_request(
                kind=f"organisation.{form.cleaned_data['kind']}",
                data=upload.read(),
                filename=upload.name,
                user=request.user,
                params={
                    "back": reverse("organisation:import"),
                    "allow_opd_change": form.cleaned_data["allow_opd_change"],
                },
            )
            return redirect("core:import_status", pk=job.pk)
    from kinerja.core.models import ImportJob

    recent = ImportJob.objects.filter(
        requested_by=request.user, kind__startswith="organisation."
    ).defer("journal", "errors")[:10]
    return render(
        request,
        "organisation/import.html",
        {
            "form": form,
            "recent": recent,
            "kinds": imports.TITLES,
            "columns": imports.COLUMNS,
            "limits": _import_limits(),
        },
    )


def _import_limits() -> dict[str, str]:
    """What the import page states before upload (kinerja/core/tabular.py enforces it)."""
    from django.conf import settings

    from kinerja.core.numbers import format_number
    from kinerja.core.tabular import limits

    rows, columns = limits()
    return {
        "mb": format_number(settings.IMPORT_MAX_BYTES // (1024 * 1024)),
        "rows": format_number(rows),
        "columns": format_number(columns),
    }


@login_required
def import_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in imports.COLUMNS or not access.can_manage_organisation(request.user):
        raise Http404
    headers, guide = imports.template_rows(kind)
    name = f"templat-impor-{imports.TITLES[kind].lower().replace(' ', '-')}"
    if fmt == "csv":
        return file_response(csv_bytes(headers, []), f"{name}.csv", "text/csv")
    data = xlsx_bytes(
        [
            (imports.TITLES[kind], headers, []),
            ("Petunjuk", ["Kolom", "Wajib", "Keterangan", "Contoh"], guide),
        ]
    )
    return file_response(data, f"{name}.xlsx", XLSX_MIME)


# --- Personal API tokens (kinerja.organisation.tokens) ---------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens: make one (shown once, on this page only), see and revoke."""
    from . import tokens

    created = None
    error = ""
    if request.method == "POST":
        raw_days = request.POST.get("hari", "90")
        try:
            row, plain = tokens.token_create(
                user=request.user,
                name=request.POST.get("nama", ""),
                scopes=request.POST.getlist("cakupan"),
                expires_days=whole_number(raw_days) or 0,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            created = (row, plain)
    return render(
        request,
        "organisation/api_tokens.html",
        {
            "tokens": list(request.user.api_tokens.all()[:50]),
            "scopes": tokens.SCOPES,
            "created": created,
            "error": error,
            "posted": request.POST if request.method == "POST" and error else None,
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    from . import tokens

    row = request.user.api_tokens.filter(pk=pk).first()
    if row is None:
        raise Http404
    tokens.token_revoke(token=row, by=request.user)
    messages.success(request, _("Token “%(n)s” dicabut.") % {"n": row.name})
    return redirect("organisation:api_tokens")
