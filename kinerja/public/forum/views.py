"""Pages of the forum: the citizens' discussion (/forum/) and the staff's moderation."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.core.http import querystring_without_page
from kinerja.core.params import whole_number
from kinerja.organisation import access

from .. import common, protection
from ..choices import PostStatus
from ..models import ForumParticipant
from ..web import SearchForm, add_errors, admin_required, page_of
from . import selectors, services
from .forms import ForumSignupForm, PostForm, ReportForm, TopicForm

# --- Forum (citizens) -----------------------------------------------------------------------

SESSION_PARTICIPANT = "forum_participant"


def _participant(request: HttpRequest) -> ForumParticipant | None:
    pk = request.session.get(SESSION_PARTICIPANT)
    if not pk:
        return None
    return ForumParticipant.objects.filter(
        pk=pk, confirmed_at__isnull=False, blocked=False, erased_at__isnull=True
    ).first()


def forum_index(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    unit = None
    unit_id = whole_number(request.GET.get("unit"))
    if unit_id is not None:
        unit = common.public_units().filter(pk=unit_id).first()
    topics = selectors.forum_topics(unit=unit, q=q)
    return render(
        request,
        "public/forum_index.html",
        {
            "form": form,
            "unit": unit,
            "page": page_of(request, topics, 20),
            "querystring": querystring_without_page(request),
            "participant": _participant(request),
        },
    )


@require_http_methods(["GET", "POST"])
def forum_topic(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_public(pk)
    participant = _participant(request)
    form = PostForm(request.POST or None)
    if request.method == "POST":
        if participant is None:
            return redirect(f"{reverse('public:forum_signup')}?next={topic.pk}")
        if form.is_valid():
            if not protection.rate_limit_hit(
                "forum", f"p{participant.pk}", settings.PUBLIC_FORUM_RATE_LIMIT
            ):
                form.add_error(None, _("Anda menulis terlalu cepat. Tunggu beberapa menit."))
            else:
                try:
                    post = services.post_reply(
                        participant=participant, topic=topic, body=form.cleaned_data["body"]
                    )
                except ValidationError as exc:
                    add_errors(form, exc)
                else:
                    if post.status == PostStatus.PENDING:
                        messages.info(
                            request,
                            _("Tulisan Anda menunggu moderasi karena Anda peserta baru."),
                        )
                    return redirect("public:forum_topic", pk=topic.pk)
    can_answer = access.can_administer_public_unit(request.user, topic.unit)
    return render(
        request,
        "public/forum_topic.html",
        {
            "topic": topic,
            "posts": selectors.topic_posts(topic, participant_id=getattr(participant, "pk", None)),
            "form": form,
            "participant": participant,
            "official_form": PostForm(prefix="official") if can_answer else None,
            "report_form": ReportForm(),
        },
    )


@require_http_methods(["GET", "POST"])
def forum_topic_create(request: HttpRequest) -> HttpResponse:
    participant = _participant(request)
    if participant is None:
        return redirect(f"{reverse('public:forum_signup')}?next=baru")
    form = TopicForm(request.POST or None, targets=common.public_targets())
    if request.method == "POST" and form.is_valid():
        if not protection.rate_limit_hit(
            "forum", f"p{participant.pk}", settings.PUBLIC_FORUM_RATE_LIMIT
        ):
            form.add_error(None, _("Anda menulis terlalu cepat. Tunggu beberapa menit."))
        else:
            unit, service = form.cleaned_data["target"]
            try:
                topic = services.topic_start(
                    participant=participant,
                    unit=unit,
                    service=service,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                if topic.is_visible:
                    return redirect("public:forum_topic", pk=topic.pk)
                messages.info(
                    request,
                    _("Topik Anda terkirim dan akan tampil setelah diperiksa moderator."),
                )
                return redirect("public:forum_index")
    return render(
        request, "public/forum_topic_form.html", {"form": form, "participant": participant}
    )


@require_http_methods(["GET", "POST"])
def forum_signup(request: HttpRequest) -> HttpResponse:
    form = ForumSignupForm(request.POST or None)
    link = None
    if request.method == "POST":
        if form.is_bot():
            return render(
                request, "public/forum_signup.html", {"form": ForumSignupForm(), "sent": True}
            )
        if form.is_valid():
            if not protection.rate_limit_hit(
                "forum-signup", protection.ip_hash(request), settings.PUBLIC_FORUM_SIGNUP_RATE_LIMIT
            ):
                form.add_error(
                    None, _("Terlalu banyak permintaan dari jaringan ini. Coba lagi nanti.")
                )
            else:
                try:
                    _participant_obj, token = services.participant_signup(
                        email=form.cleaned_data["email"], nickname=form.cleaned_data["nickname"]
                    )
                except ValidationError as exc:
                    add_errors(form, exc)
                else:
                    # The demo (console e-mail backend) shows the link: nothing is really sent.
                    if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
                        link = services.confirmation_link(token)
                    return render(
                        request,
                        "public/forum_signup.html",
                        {"form": form, "sent": True, "link": link},
                    )
    return render(request, "public/forum_signup.html", {"form": form, "sent": False})


def forum_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        participant = services.participant_confirm(token=token)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("public:forum_signup")
    request.session.cycle_key()
    request.session[SESSION_PARTICIPANT] = participant.pk
    messages.success(
        request, _("Selamat datang di forum warga, %(nick)s.") % {"nick": participant.nickname}
    )
    return redirect("public:forum_index")


@require_POST
def forum_signout(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_PARTICIPANT, None)
    messages.info(request, _("Anda telah keluar dari forum."))
    return redirect("public:forum_index")


@require_http_methods(["GET", "POST"])
def forum_erase(request: HttpRequest) -> HttpResponse:
    """A participant deletes their forum account (after a confirmation page)."""
    participant = _participant(request)
    if participant is None:
        return redirect("public:forum_signup")
    if request.method == "POST":
        services.participant_erase(participant=participant)
        request.session.pop(SESSION_PARTICIPANT, None)
        request.session.cycle_key()
        messages.success(
            request,
            _(
                "Akun forum Anda sudah dihapus. Alamat surel Anda tidak lagi kami simpan; "
                "tulisan yang sudah terbit tetap ada tanpa nama Anda."
            ),
        )
        return redirect("public:forum_index")
    pending = participant.posts.filter(status=PostStatus.PENDING).count()
    published = participant.posts.filter(status=PostStatus.PUBLISHED).count()
    return render(
        request,
        "public/forum_erase.html",
        {"participant": participant, "pending": pending, "published": published},
    )


@require_POST
def forum_report(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_public(pk)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan alasan singkat untuk melaporkan."))
    else:
        reporter = protection.ip_hash(request) or protection.browser_hash(
            protection.browser_id(request)
        )
        try:
            reported = services.post_report(
                post=post, reason=form.cleaned_data["reason"], reporter_hash=reporter
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if reported:
                messages.success(request, _("Terima kasih, laporan Anda akan diperiksa moderator."))
            else:
                messages.info(request, _("Anda sudah melaporkan tulisan ini."))
    return redirect("public:forum_topic", pk=post.topic_id)


@login_required
@require_POST
def forum_official(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_public(pk)
    admin_required(access.can_administer_public_unit, request.user, topic.unit)
    form = PostForm(request.POST, prefix="official")
    if form.is_valid():
        try:
            services.post_official(topic=topic, body=form.cleaned_data["body"], by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Jawaban resmi ditayangkan."))
    else:
        messages.error(request, _("Tulisan 5 sampai 4000 karakter."))
    return redirect("public:forum_topic", pk=topic.pk)


# --- Staff: forum moderation ---------------------------------------------------------------


@login_required
def forum_moderation(request: HttpRequest) -> HttpResponse:
    if not common.units_administered_by(request.user).exists():
        raise Http404
    page = page_of(request, selectors.moderation_queue(request.user), 25)
    return render(request, "public/forum_moderation.html", {"page": page})


@login_required
@require_POST
def forum_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.moderated_post_for_admin(request.user, pk)
    publish = request.POST.get("action") == "publish"
    services.post_moderate(post=post, by=request.user, publish=publish)
    messages.success(request, _("Tulisan ditayangkan.") if publish else _("Tulisan disembunyikan."))
    return redirect("public:forum_moderation")
